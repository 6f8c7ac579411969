package org.vae4j.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.tensor.Tensor;

/**
 * A container of parameters, buffers and child modules, named hierarchically like PyTorch's
 * {@code state_dict} ({@code encoder.0.weight}). Subclasses register what they own in their
 * constructor with {@link #addParameter}, {@link #addBuffer} and {@link #addModule};
 * {@link #parameters()} is what an optimizer trains, {@link #state()} what a checkpoint saves,
 * and {@link #close()} frees it all.
 */
public abstract class Module implements AutoCloseable {

    private final Map<String, Parameter> ownParameters = new LinkedHashMap<>();
    private final Map<String, Parameter> ownBuffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean trainable = true;

    /** Registers a parameter initialised to {@code value}, which it takes ownership of. */
    protected final Parameter addParameter(String name, Tensor value) {
        checkName(name);
        Parameter p = new Parameter(value);
        ownParameters.put(name, p);
        return p;
    }

    /**
     * Registers a non-trainable tensor the module keeps and saves but no optimizer changes
     * (PyTorch's {@code register_buffer}), e.g. running statistics; update it with
     * {@link Parameter#assign}.
     */
    protected final Parameter addBuffer(String name, Tensor value) {
        checkName(name);
        Parameter b = new Parameter(value, false);
        ownBuffers.put(name, b);
        return b;
    }

    /** Registers a child module; its parameters appear as {@code name.<their name>}. */
    protected final <M extends Module> M addModule(String name, M child) {
        checkName(name);
        if (child == null) {
            throw new IllegalArgumentException("module '" + name + "' is null");
        }
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("invalid name '" + name
                    + "': names must be non-empty and contain no '.'");
        }
        if (ownParameters.containsKey(name) || ownBuffers.containsKey(name)
                || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered in "
                    + getClass().getSimpleName());
        }
    }

    /** Every trainable parameter, own ones first, then each child's in registration order. */
    public final Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(collect(false));
    }

    /** Every buffer, named as the parameters are. */
    public final Map<String, Parameter> buffers() {
        Map<String, Parameter> all = collect(true);
        all.values().removeIf(Parameter::isTrainable);
        return Collections.unmodifiableMap(all);
    }

    /** Parameters and buffers together: what a checkpoint holds. */
    public final Map<String, Parameter> state() {
        return Collections.unmodifiableMap(collect(true));
    }

    private Map<String, Parameter> collect(boolean withBuffers) {
        Map<String, Parameter> all = new LinkedHashMap<>(ownParameters);
        if (withBuffers) {
            all.putAll(ownBuffers);
        }
        children.forEach((name, child) ->
                child.collect(withBuffers).forEach((sub, p) -> all.put(name + "." + sub, p)));
        return all;
    }

    /** The registered child modules by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** The total number of scalar parameters. */
    public final long parameterCount() {
        return parameters().values().stream().mapToLong(Parameter::size).sum();
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() {
        parameters().values().forEach(Parameter::zeroGrad);
    }

    /**
     * Whether this module runs in training mode now: a training {@link Mode} scope is open on
     * this thread and the module has not been put in {@link #eval()} mode. Layers that behave
     * differently in training (dropout, batch norm) read this.
     */
    public final boolean isTraining() {
        return trainable && Mode.isTraining();
    }

    /**
     * Lets this module and its children follow the thread's {@link Mode} again (the default),
     * as PyTorch's {@code module.train()}; returns this module.
     */
    public Module train() {
        setTrainable(true);
        return this;
    }

    /**
     * Keeps this module and its children in evaluation mode even inside a training scope, as
     * PyTorch's {@code module.eval()} (e.g. to freeze a pretrained part); returns this module.
     */
    public Module eval() {
        setTrainable(false);
        return this;
    }

    private void setTrainable(boolean value) {
        trainable = value;
        children.values().forEach(c -> c.setTrainable(value));
    }

    /** Frees every parameter's and buffer's storage. */
    @Override
    public void close() {
        state().values().forEach(Parameter::close);
    }
}
