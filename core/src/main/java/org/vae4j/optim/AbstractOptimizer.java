package org.vae4j.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.autodiff.Variable;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Parallel;
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
            Update u = prepare(e.getKey(), e.getValue());
            if (u != null) {
                u.finish(u.compute());
            }
        }
        zeroGrad();
    }

    /**
     * Updates each parameter as soon as the backward pass has its gradient, on a {@link Parallel}
     * worker beside the rest of the pass (the pass no longer reads the parameter by then), when
     * the backend has more than one thread. The last parameter to get its gradient is updated on
     * this thread, which would otherwise wait. Every update is the one {@link #step()} makes:
     * each touches only its own parameter and state, so their order does not matter.
     */
    @Override
    public final void backwardAndStep(Variable loss) {
        if (loss.backend().threads() < 2) {
            loss.backward();
            step();
            return;
        }
        step++;
        Map<Variable, String> names = new IdentityHashMap<>();
        params.forEach((name, p) -> names.put(p, name));
        List<Update> started = new ArrayList<>();
        Update[] last = new Update[1];
        try {
            loss.backward(leaf -> {
                String name = names.remove(leaf);
                Update u = name == null ? null : prepare(name, (Parameter) leaf);
                if (u != null) {
                    if (last[0] != null) {
                        last[0].start();
                        started.add(last[0]);
                    }
                    last[0] = u;
                }
            });
            if (last[0] != null) {
                last[0].finish(last[0].compute());
            }
            // Gradients left from an earlier backward() of parameters this loss does not use.
            for (String name : names.values()) {
                Update u = prepare(name, params.get(name));
                if (u != null) {
                    u.finish(u.compute());
                }
            }
        } finally {
            joinAll(started);
        }
        zeroGrad();
    }

    /** Waits for every started update and records its result; throws the first failure. */
    private static void joinAll(List<Update> started) {
        RuntimeException failure = null;
        for (Update u : started) {
            try {
                u.finish(u.forked.join());
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The update of one parameter with its gradient and state, or null if it has no gradient. */
    private Update prepare(String name, Parameter p) {
        Tensor grad = p.grad();
        if (grad == null) {
            return null;
        }
        if (grad.isClosed()) {
            throw new IllegalStateException("step: the gradient of " + name
                    + " was freed; call step() in the same scope as backward()");
        }
        Backend be = p.backend();
        Tensor[] state = new Tensor[bufferNames.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] = buffers.computeIfAbsent(name + "." + bufferNames.get(i),
                    k -> TensorScope.untrack(be.zeros(p.shape())));
        }
        return new Update(name, p, grad, state);
    }

    /**
     * One parameter's update: {@link #compute} may run on any thread (it touches only this
     * parameter, its gradient and its state); {@link #finish} runs on the optimizer's thread.
     */
    private final class Update {
        final String name;
        final Parameter param;
        final Tensor grad;
        final Tensor[] state;
        final long t = step;
        Parallel.Forked<Tensor[]> forked;

        Update(String name, Parameter param, Tensor grad, Tensor[] state) {
            this.name = name;
            this.param = param;
            this.grad = grad;
            this.state = state;
        }

        void start() {
            forked = Parallel.forThreads(param.backend().threads()).fork(this::compute);
        }

        Tensor[] compute() {
            Backend be = param.backend();
            try (TensorScope scope = be.newScope()) {
                Tensor[] next = update(be, param, grad, state, t);
                for (Tensor n : next) {
                    TensorScope.untrack(n);
                }
                return next;
            }
        }

        void finish(Tensor[] next) {
            for (int i = 0; i < state.length; i++) {
                replaceBuffer(name + "." + bufferNames.get(i), next[i]);
            }
        }
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
