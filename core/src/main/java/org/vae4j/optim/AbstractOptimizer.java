package org.vae4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * The bookkeeping every optimizer shares: named parameters, learning rate, step count, and
 * per-parameter state buffers that are replaced each step (the old tensor closed) and outlive
 * the step's scope. A subclass implements {@link #update}.
 */
public abstract class AbstractOptimizer implements Optimizer {

    private final Map<String, Parameter> params;
    private final List<String> bufferNames;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private double learningRate;
    private long step;

    /**
     * @param params      the parameters by name, e.g. {@code module.parameters()}
     * @param bufferNames the state each parameter keeps, e.g. {@code exp_avg}
     */
    protected AbstractOptimizer(Map<String, Parameter> params, double learningRate,
            String... bufferNames) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + ": no parameters to optimize");
        }
        this.params = new LinkedHashMap<>(params);
        this.bufferNames = List.of(bufferNames);
        setLearningRate(learningRate);
    }

    /**
     * Updates one parameter. {@code state} holds its buffers (zeros before the first step) in
     * the order of the names given to the constructor; return the new buffers in that order.
     * {@code t} is the 1-based step number. Runs inside a scope: temporaries are freed.
     */
    protected abstract Tensor[] update(Backend be, Parameter p, Tensor grad, Tensor[] state,
            long t);

    @Override
    public final void step() {
        step++;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            if (grad.isClosed()) {
                throw new IllegalStateException("step: the gradient of " + e.getKey()
                        + " was freed; call step() in the same scope as backward()");
            }
            Backend be = p.backend();
            Tensor[] state = new Tensor[bufferNames.size()];
            for (int i = 0; i < state.length; i++) {
                String key = e.getKey() + "." + bufferNames.get(i);
                state[i] = buffers.computeIfAbsent(key,
                        k -> TensorScope.untrack(be.zeros(p.shape())));
            }
            try (TensorScope scope = be.newScope()) {
                Tensor[] next = update(be, p, grad, state, step);
                for (int i = 0; i < state.length; i++) {
                    replaceBuffer(e.getKey() + "." + bufferNames.get(i), next[i]);
                }
            }
        }
        zeroGrad();
    }

    /** Sets a parameter's new value from inside {@link #update}; it outlives the scope. */
    protected static void assign(Parameter p, Tensor value) {
        p.assign(value);
    }

    private void replaceBuffer(String key, Tensor value) {
        Tensor old = buffers.put(key, TensorScope.untrack(value));
        if (old != null && old != value) {
            old.close();
        }
    }

    @Override
    public final void zeroGrad() {
        params.values().forEach(Parameter::zeroGrad);
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got "
                    + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public final long stepCount() {
        return step;
    }

    @Override
    public final OptimizerState state() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        buffers.forEach((k, t) -> copy.put(k, t.toArray()));
        return new OptimizerState(step, copy);
    }

    @Override
    public final void loadState(OptimizerState state) {
        Map<String, Tensor> loaded = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>(state.buffers().keySet());
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            for (String b : bufferNames) {
                String key = e.getKey() + "." + b;
                float[] data = state.buffers().get(key);
                unknown.remove(key);
                if (data == null) {
                    continue;
                }
                if (data.length != p.size()) {
                    loaded.values().forEach(Tensor::close);
                    throw new IllegalArgumentException("optimizer state " + key + " has "
                            + data.length + " values; parameter " + e.getKey() + " "
                            + p.shape() + " has " + p.size());
                }
                loaded.put(key, TensorScope.untrack(p.backend().fromArray(data, p.shape())));
            }
        }
        if (!unknown.isEmpty()) {
            loaded.values().forEach(Tensor::close);
            throw new IllegalArgumentException("optimizer state has buffers for unknown"
                    + " parameters: " + unknown + "; expected "
                    + (bufferNames.isEmpty() ? "no buffers" : "names like "
                    + params.keySet().iterator().next() + "." + bufferNames.get(0)));
        }
        buffers.values().forEach(Tensor::close);
        buffers.clear();
        buffers.putAll(loaded);
        step = state.step();
    }

    /** How many state tensors are held (one per buffer per parameter once stepped). */
    public final int stateTensorCount() {
        return buffers.size();
    }

    @Override
    public final void close() {
        buffers.values().forEach(Tensor::close);
        buffers.clear();
    }
}
