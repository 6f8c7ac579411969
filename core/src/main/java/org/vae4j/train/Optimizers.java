package org.vae4j.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.vae4j.model.Model;
import org.vae4j.model.MultiOptimizerModel;
import org.vae4j.nn.Parameter;
import org.vae4j.optim.Optimizer;

/**
 * The named optimizers of a training run, in order: one for an ordinary model ({@link
 * #of(Optimizer)}, named {@value #DEFAULT}), several for one that trains parts of itself
 * separately (an adversarial autoencoder's autoencoder and discriminator). A {@link
 * TrainingStep} picks them by name; checkpoints keep every one's state under its name. The
 * caller owns and closes them.
 *
 * <pre>{@code
 * Optimizers opts = Optimizers.builder()
 *         .add("autoencoder", new Adam(Optimizers.select(model.parameters(), "encoder",
 *                 "decoder"), 1e-3))
 *         .add("discriminator", new Adam(Optimizers.select(model.parameters(),
 *                 "discriminator"), 1e-4))
 *         .build();
 * }</pre>
 *
 * <p>{@link #forModel} builds them as a model asks: one per {@linkplain MultiOptimizerModel
 * parameter group} for a model that declares groups, the single default one otherwise.
 */
public final class Optimizers implements AutoCloseable {

    /** Makes an optimizer of one type, e.g. {@code Adam::new}. */
    @FunctionalInterface
    public interface Factory {
        Optimizer create(Map<String, Parameter> parameters, double learningRate);
    }

    /**
     * The optimizers {@code model} trains with: for a {@link MultiOptimizerModel}, one of {@code
     * factory}'s per parameter group, named as the group, at the group's learning rate or else
     * {@code learningRate}; for any other model the one {@value #DEFAULT} optimizer over every
     * parameter. On failure nothing made is left open.
     *
     * @throws IllegalArgumentException when a group selects nothing, or a parameter is in no
     *         group (it would never train)
     */
    public static Optimizers forModel(Model model, double learningRate, Factory factory) {
        Map<String, Parameter> all = model.parameters();
        if (!(model instanceof MultiOptimizerModel parts)) {
            return of(factory.create(all, learningRate));
        }
        List<Optimizer> made = new ArrayList<>();
        try {
            Builder b = builder();
            Set<String> untrained = new TreeSet<>(all.keySet());
            for (MultiOptimizerModel.ParameterGroup g : parts.parameterGroups()) {
                Map<String, Parameter> part;
                try {
                    part = select(all, g.prefixes().toArray(String[]::new));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(model.typeName() + ": parameter group '"
                            + g.name() + "': " + e.getMessage(), e);
                }
                untrained.removeAll(part.keySet());
                Optimizer o = factory.create(part,
                        g.learningRate() == null ? learningRate : g.learningRate());
                made.add(o);
                b.add(g.name(), o);
            }
            if (!untrained.isEmpty()) {
                throw new IllegalArgumentException(model.typeName() + ": the parameters "
                        + untrained + " are in none of its parameter groups, so nothing would"
                        + " train them");
            }
            return b.build();
        } catch (RuntimeException e) {
            made.forEach(Optimizer::close);
            throw e;
        }
    }

    /**
     * The parameters of the submodules {@code prefixes} name ({@code encoder} selects {@code
     * encoder.0.weight}, ...), in order: a part of a model for one optimizer.
     *
     * @throws IllegalArgumentException naming a prefix that selects nothing
     */
    public static Map<String, Parameter> select(Map<String, Parameter> params,
            String... prefixes) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (String prefix : prefixes) {
            int before = out.size();
            params.forEach((name, p) -> {
                if (name.equals(prefix) || name.startsWith(prefix + ".")) {
                    out.put(name, p);
                }
            });
            if (out.size() == before) {
                throw new IllegalArgumentException("no parameter is under '" + prefix + "'; the"
                        + " parameters are " + params.keySet());
            }
        }
        return out;
    }

    /** The name of the only optimizer of {@link #of(Optimizer)}. */
    public static final String DEFAULT = "default";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final Map<String, Optimizer> byName;

    private Optimizers(Map<String, Optimizer> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** One optimizer, named {@value #DEFAULT}. */
    public static Optimizers of(Optimizer optimizer) {
        return builder().add(DEFAULT, optimizer).build();
    }

    /** Starts a set of named optimizers. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The optimizer called {@code name}.
     *
     * @throws IllegalArgumentException naming the optimizers there are, when none has that name
     */
    public Optimizer get(String name) {
        Optimizer o = byName.get(name);
        if (o == null) {
            throw new IllegalArgumentException("no optimizer named '" + name + "'; the trainer has "
                    + byName.keySet());
        }
        return o;
    }

    /**
     * The only optimizer.
     *
     * @throws IllegalStateException when there are several: a training step must then say which
     */
    public Optimizer only() {
        if (byName.size() != 1) {
            throw new IllegalStateException("the trainer has " + byName.size() + " optimizers "
                    + byName.keySet() + "; a training step that uses several must pick them by"
                    + " name (optTrainingStep)");
        }
        return byName.values().iterator().next();
    }

    /** The names, in order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The optimizers, in order. */
    public List<Optimizer> all() {
        return List.copyOf(byName.values());
    }

    /** Name to optimizer, in order. */
    public Map<String, Optimizer> asMap() {
        return byName;
    }

    public int size() {
        return byName.size();
    }

    /** Whether this is the single optimizer of {@link #of(Optimizer)}. */
    public boolean isDefault() {
        return byName.size() == 1 && byName.containsKey(DEFAULT);
    }

    /** Sets every optimizer's base learning rate. */
    public void setLearningRate(double learningRate) {
        byName.values().forEach(o -> o.setLearningRate(learningRate));
    }

    /** Closes every optimizer (frees their state). */
    @Override
    public void close() {
        byName.values().forEach(Optimizer::close);
    }

    /** Collects {@link Optimizers}. */
    public static final class Builder {
        private final Map<String, Optimizer> byName = new LinkedHashMap<>();

        private Builder() {
        }

        /** Adds {@code optimizer} as {@code name} (letters, digits, '_' and '-'). */
        public Builder add(String name, Optimizer optimizer) {
            Objects.requireNonNull(optimizer, "optimizer");
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("optimizer name '" + name + "' must be letters,"
                        + " digits, '_' or '-'");
            }
            if (byName.containsKey(name)) {
                throw new IllegalArgumentException("optimizer '" + name + "' is given twice");
            }
            if (byName.containsValue(optimizer)) {
                throw new IllegalArgumentException("optimizer '" + name + "' is already added"
                        + " under another name");
            }
            byName.put(name, optimizer);
            return this;
        }

        public Optimizers build() {
            if (byName.isEmpty()) {
                throw new IllegalStateException("optimizers: none added; call add(name,"
                        + " optimizer)");
            }
            return new Optimizers(byName);
        }
    }
}
