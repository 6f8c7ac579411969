package org.vae4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vae4j.autodiff.Variable;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;

/**
 * {@code p(x | z)} of a table: one factor per column, each the likelihood its type calls for,
 * so that {@code −log p(x|z)} is in nats per row.
 *
 * <ul>
 *   <li>numeric (a standardised column, decoder output {@code μ}): Gaussian with a learned
 *       log-variance per column (parameter {@code log_variance}, one entry per numeric column):
 *       {@code ½ (log σ² + (x − μ)²/σ² + log 2π)}. A parameter rather than a second decoder
 *       output keeps the decoder as wide as the row, so reconstructions, the AE and every
 *       architecture stay as they are, and a column's noise level is a property of the column;</li>
 *   <li>binary (decoder output a logit {@code l}): Bernoulli, {@code softplus(l) − x·l};</li>
 *   <li>categorical (a one-hot block, decoder outputs {@code K} logits): categorical,
 *       {@code logSumExp(l) − Σ_k x_k l_k}, i.e. softmax cross-entropy.</li>
 * </ul>
 *
 * The layout is the setting {@code table-columns}: one entry per column in row order,
 * {@code n} (numeric), {@code b} (binary) or {@code cK} (categorical of {@code K} categories),
 * e.g. {@code n,n,b,c3}; the program derives it from the run's stored table schema.
 */
final class TableLikelihood extends Likelihood {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** A column's type and place in the encoded row. */
    record Column(char type, int offset, int width) {
    }

    private final List<Column> columns;
    private final Parameter logVariance;
    private final int width;

    TableLikelihood(Backend backend, List<Column> columns) {
        this.columns = List.copyOf(columns);
        int numeric = (int) columns.stream().filter(c -> c.type() == 'n').count();
        this.logVariance = numeric == 0 ? null
                : addParameter("log_variance", backend.zeros(Shape.of(numeric)));
        Column last = columns.get(columns.size() - 1);
        this.width = last.offset() + last.width();
    }

    /** Parses a layout such as {@code n,n,b,c3}; a malformed entry is an error naming it. */
    static List<Column> parseLayout(String layout) {
        if (layout == null || layout.isBlank()) {
            throw new IllegalArgumentException("likelihood table: setting 'table-columns' is"
                    + " empty; expected one entry per column, e.g. n,n,b,c3");
        }
        List<Column> columns = new ArrayList<>();
        int at = 0;
        for (String entry : layout.split(",")) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            int w;
            if (e.equals("n") || e.equals("b")) {
                w = 1;
            } else if (e.matches("c[1-9][0-9]*")) {
                w = Integer.parseInt(e.substring(1));
            } else {
                throw new IllegalArgumentException("likelihood table: '" + entry.trim()
                        + "' in table-columns is not n, b or cK (K categories)");
            }
            columns.add(new Column(e.charAt(0), at, w));
            at += w;
        }
        return columns;
    }

    /** The encoded row width the layout covers. */
    int width() {
        return width;
    }

    @Override
    public Variable negLogLikelihood(Variable output, Variable x) {
        return negLogLikelihoodPerExample(output, x).mean();
    }

    @Override
    public Variable negLogLikelihoodPerExample(Variable output, Variable x) {
        checkWidth(x);
        Variable total = null;
        for (Map.Entry<Character, Variable> e : perGroup(output, x).entrySet()) {
            total = total == null ? e.getValue() : total.add(e.getValue());
        }
        return total;
    }

    @Override
    public Map<String, Variable> terms(Variable output, Variable x) {
        Map<String, Variable> terms = new LinkedHashMap<>();
        for (Map.Entry<Character, Variable> e : perGroup(output, x).entrySet()) {
            terms.put(groupName(e.getKey()), e.getValue().mean());
        }
        return terms;
    }

    /** Each column group's {@code −log p} per example, {@code (n)} vectors, in layout order. */
    private Map<Character, Variable> perGroup(Variable output, Variable x) {
        Map<Character, Variable> groups = new LinkedHashMap<>();
        int numeric = 0;
        for (Column c : columns) {
            Variable o = output.slice(1, c.offset(), c.offset() + c.width());
            Variable xc = x.slice(1, c.offset(), c.offset() + c.width());
            Variable nll = switch (c.type()) {
                case 'n' -> {
                    Variable lv = logVariance.slice(0, numeric, numeric + 1);
                    numeric++;
                    // ½ (log σ² + (x − μ)²/σ² + log 2π)
                    yield lv.add(xc.sub(o).square().div(lv.exp())).add((float) LOG_2PI)
                            .mul(0.5f).sum(false, 1);
                }
                // softplus(l) − x·l
                case 'b' -> o.softplus().sub(xc.mul(o)).sum(false, 1);
                // logSumExp(l) − Σ_k x_k l_k
                case 'c' -> o.logSumExp(1, false).sub(xc.mul(o).sum(false, 1));
                default -> throw new IllegalStateException(String.valueOf(c.type()));
            };
            groups.merge(c.type(), nll, Variable::add);
        }
        return groups;
    }

    @Override
    public boolean hasPerFeature() {
        return true;
    }

    /**
     * Each encoded feature's term: a numeric or binary column's own, and for a categorical
     * block {@code x_k (logSumExp(l) − l_k)}, which sums over the one-hot block to the column's
     * {@code logSumExp(l) − Σ_k x_k l_k}.
     */
    @Override
    public Variable negLogLikelihoodPerFeature(Variable output, Variable x) {
        checkWidth(x);
        List<Variable> parts = new ArrayList<>();
        int numeric = 0;
        for (Column c : columns) {
            Variable o = output.slice(1, c.offset(), c.offset() + c.width());
            Variable xc = x.slice(1, c.offset(), c.offset() + c.width());
            parts.add(switch (c.type()) {
                case 'n' -> {
                    Variable lv = logVariance.slice(0, numeric, numeric + 1);
                    numeric++;
                    yield lv.add(xc.sub(o).square().div(lv.exp())).add((float) LOG_2PI)
                            .mul(0.5f);
                }
                case 'b' -> o.softplus().sub(xc.mul(o));
                case 'c' -> xc.mul(o.logSumExp(1, true).sub(o));
                default -> throw new IllegalStateException(String.valueOf(c.type()));
            });
        }
        return Variable.concat(1, parts);
    }

    private static String groupName(char type) {
        return switch (type) {
            case 'n' -> "numeric";
            case 'b' -> "binary";
            default -> "categorical";
        };
    }

    @Override
    public Variable mean(Variable output) {
        List<Variable> parts = new ArrayList<>();
        for (Column c : columns) {
            Variable o = output.slice(1, c.offset(), c.offset() + c.width());
            parts.add(switch (c.type()) {
                case 'n' -> o;
                case 'b' -> o.sigmoid();
                default -> o.softmax(1);
            });
        }
        return Variable.concat(1, parts);
    }

    private void checkWidth(Variable x) {
        int w = x.shape().dim(x.shape().rank() - 1);
        if (w != width) {
            throw new IllegalArgumentException("likelihood table: rows of " + w + " features,"
                    + " but table-columns describes " + width);
        }
    }

    @Override
    public String configName() {
        return "table";
    }

    @Override
    public String toString() {
        return "Table(" + columns.size() + " columns)";
    }
}
