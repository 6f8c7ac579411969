package org.vae4j.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.tensor.Tensor;

/**
 * A container of parameters and child modules, named hierarchically like PyTorch's
 * {@code state_dict} ({@code encoder.0.weight}). Subclasses register what they own in their
 * constructor with {@link #addParameter} and {@link #addModule}; {@link #close()} frees every
 * parameter.
 */
public abstract class Module implements AutoCloseable {

    private final Map<String, Parameter> ownParameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    /** Registers a parameter initialised to {@code value}, which it takes ownership of. */
    protected final Parameter addParameter(String name, Tensor value) {
        checkName(name);
        Parameter p = new Parameter(value);
        ownParameters.put(name, p);
        return p;
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
        if (ownParameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered in "
                    + getClass().getSimpleName());
        }
    }

    /** Every parameter, own ones first, then each child's in registration order. */
    public final Map<String, Parameter> parameters() {
        Map<String, Parameter> all = new LinkedHashMap<>(ownParameters);
        children.forEach((name, child) ->
                child.parameters().forEach((sub, p) -> all.put(name + "." + sub, p)));
        return Collections.unmodifiableMap(all);
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

    /** Frees every parameter's storage. */
    @Override
    public void close() {
        parameters().values().forEach(Parameter::close);
    }
}
