package org.vae4j.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Tensor;

/**
 * What {@link Model#loss} returns: the scalar to minimise, named scalar terms for logging
 * (e.g. {@code reconstruction}, {@code kl}), in the order they were added, and named
 * {@linkplain #output outputs}: values the loss computed that {@link Model#afterStep} needs
 * after the gradient step (e.g. a VQ-VAE's encoder outputs and codes), so a model hands them on
 * instead of keeping them in fields between the two calls.
 */
public final class Loss {

    /** The name under which {@link #values()} reports the total. */
    public static final String TOTAL = "loss";

    /**
     * The key of an {@linkplain #output output}: its name and type, declared once by the model
     * as a constant, e.g. {@code Output.of("z_e", Tensor.class)}.
     */
    public record Output<T>(String name, Class<T> type) {
        public Output {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(type, "type");
        }

        public static <T> Output<T> of(String name, Class<T> type) {
            return new Output<>(name, type);
        }
    }

    private final Variable total;
    private final Map<String, Variable> terms;
    private final Map<String, Object> outputs;

    private Loss(Variable total, Map<String, Variable> terms) {
        this(total, terms, Map.of());
    }

    private Loss(Variable total, Map<String, Variable> terms, Map<String, Object> outputs) {
        if (total.shape().size() != 1) {
            throw new IllegalArgumentException("a loss must be a scalar, got shape "
                    + total.shape());
        }
        this.total = total;
        this.terms = terms;
        this.outputs = outputs;
    }

    /**
     * A loss with no named terms yet. The total's value is {@linkplain Variable#retainValue
     * retained}: a training step may differentiate a scaled copy of it (accumulation), and the
     * total is logged afterwards.
     */
    public static Loss of(Variable total) {
        return new Loss(total.retainValue(), new LinkedHashMap<>());
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
        return new Loss(total, copy, outputs);
    }

    /**
     * This loss with one more output: a value of the step (a tensor of the step's scope, an
     * index array) for {@link Model#afterStep}. It is neither logged nor differentiated.
     */
    public <T> Loss withOutput(Output<T> key, T value) {
        if (outputs.containsKey(key.name())) {
            throw new IllegalArgumentException("loss output '" + key.name() + "' is given twice");
        }
        Map<String, Object> copy = new LinkedHashMap<>(outputs);
        copy.put(key.name(), key.type().cast(java.util.Objects.requireNonNull(value, "value")));
        return new Loss(total, terms, Collections.unmodifiableMap(copy));
    }

    /**
     * This loss with one more output taken from a variable of the step's graph: its value,
     * {@linkplain Variable#retainValue retained} so that the step's backward pass, which frees
     * the graph's other values as soon as it is done with them, leaves it for
     * {@link Model#afterStep}.
     */
    public Loss withOutput(Output<Tensor> key, Variable value) {
        return withOutput(key, value.retainValue().value());
    }

    /**
     * The output {@code key} names.
     *
     * @throws IllegalStateException naming it and the outputs present, when the loss has none
     *         of that name and type
     */
    public <T> T output(Output<T> key) {
        Object v = outputs.get(key.name());
        if (!key.type().isInstance(v)) {
            throw new IllegalStateException("the loss has no output '" + key.name() + "' of type "
                    + key.type().getSimpleName() + " (it has " + (outputs.isEmpty() ? "none"
                    : outputs.keySet()) + "); afterStep needs the loss of a training step");
        }
        return key.type().cast(v);
    }

    /** Whether {@link #output} has {@code key}. */
    public boolean hasOutput(Output<?> key) {
        return key.type().isInstance(outputs.get(key.name()));
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
