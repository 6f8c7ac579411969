package org.vae4j.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.autodiff.Variable;

/**
 * What {@link Model#loss} returns: the scalar to minimise and named scalar terms for logging
 * (e.g. {@code reconstruction}, {@code kl}), in the order they were added.
 */
public final class Loss {

    /** The name under which {@link #values()} reports the total. */
    public static final String TOTAL = "loss";

    private final Variable total;
    private final Map<String, Variable> terms;

    private Loss(Variable total, Map<String, Variable> terms) {
        if (total.shape().size() != 1) {
            throw new IllegalArgumentException("a loss must be a scalar, got shape "
                    + total.shape());
        }
        this.total = total;
        this.terms = terms;
    }

    /** A loss with no named terms yet. */
    public static Loss of(Variable total) {
        return new Loss(total, new LinkedHashMap<>());
    }

    /**
     * This loss with one more named scalar term (for logging; it is not added to the total). The
     * term's value is {@linkplain Variable#retainValue retained} through the backward pass.
     */
    public Loss with(String name, Variable term) {
        if (term.shape().size() != 1) {
            throw new IllegalArgumentException("loss term '" + name + "' must be a scalar, got"
                    + " shape " + term.shape());
        }
        if (TOTAL.equals(name) || terms.containsKey(name)) {
            throw new IllegalArgumentException("loss term '" + name + "' is given twice");
        }
        Map<String, Variable> copy = new LinkedHashMap<>(terms);
        // logged after the step's backward pass, which may free unretained values
        copy.put(name, term.retainValue());
        return new Loss(total, copy);
    }

    /** The scalar to minimise. */
    public Variable total() {
        return total;
    }

    /** The named terms, in order. */
    public Map<String, Variable> terms() {
        return Collections.unmodifiableMap(terms);
    }

    /** The total (as {@value #TOTAL}) and every term, downloaded to the host. */
    public Map<String, Double> values() {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(TOTAL, (double) total.value().item());
        terms.forEach((k, t) -> v.put(k, (double) t.value().item()));
        return v;
    }
}
