package org.vae4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.autodiff.Variable;

/**
 * The autoencoder's reconstruction loss on a table: per column group the loss its type calls
 * for, on the raw decoder outputs, summed over the row.
 *
 * <ul>
 *   <li>numeric (a standardised column, output {@code x̂}): squared error {@code (x − x̂)²};</li>
 *   <li>binary (output a logit {@code l}): binary cross-entropy {@code softplus(l) − x·l};</li>
 *   <li>categorical (a one-hot block of {@code K} logits): softmax cross-entropy
 *       {@code logSumExp(l) − Σ_k x_k l_k}.</li>
 * </ul>
 *
 * The layout is the setting {@code table-columns} ({@link TableLikelihood#parseLayout}),
 * derived by the program from the run's stored table schema as for the VAE's likelihood.
 */
final class TableLoss {

    private final List<TableLikelihood.Column> columns;
    private final int width;

    TableLoss(String layout) {
        this.columns = TableLikelihood.parseLayout(layout);
        TableLikelihood.Column last = columns.get(columns.size() - 1);
        this.width = last.offset() + last.width();
    }

    /** The encoded row width the layout covers. */
    int width() {
        return width;
    }

    /** Each group's loss per example, {@code (n)} vectors, in layout order. */
    Map<String, Variable> perGroup(Variable output, Variable x) {
        int w = x.shape().dim(x.shape().rank() - 1);
        if (w != width) {
            throw new IllegalArgumentException("table loss: rows of " + w + " features,"
                    + " but table-columns describes " + width);
        }
        Map<String, Variable> groups = new LinkedHashMap<>();
        for (TableLikelihood.Column c : columns) {
            Variable o = output.slice(1, c.offset(), c.offset() + c.width());
            Variable xc = x.slice(1, c.offset(), c.offset() + c.width());
            Variable loss = switch (c.type()) {
                case 'n' -> xc.sub(o).square().sum(false, 1);
                case 'b' -> o.softplus().sub(xc.mul(o)).sum(false, 1);
                case 'c' -> o.logSumExp(1, false).sub(xc.mul(o).sum(false, 1));
                default -> throw new IllegalStateException(String.valueOf(c.type()));
            };
            groups.merge(switch (c.type()) {
                case 'n' -> "numeric";
                case 'b' -> "binary";
                default -> "categorical";
            }, loss, Variable::add);
        }
        return groups;
    }

    /** The reconstruction in data space: numeric as is, sigmoid of binary, softmax of blocks. */
    Variable mean(Variable output) {
        List<Variable> parts = new ArrayList<>();
        for (TableLikelihood.Column c : columns) {
            Variable o = output.slice(1, c.offset(), c.offset() + c.width());
            parts.add(switch (c.type()) {
                case 'n' -> o;
                case 'b' -> o.sigmoid();
                default -> o.softmax(1);
            });
        }
        return Variable.concat(1, parts);
    }

    @Override
    public String toString() {
        return "TableLoss(" + columns.size() + " columns)";
    }
}
