package org.vae4j.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.autodiff.Variable;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.Parallel;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * The bookkeeping every optimizer shares: named parameters, learning rate and its schedule, step
 * count, gradient clipping, gradient sums of accumulation, and per-parameter state buffers that
 * are replaced each step (the old tensor closed) and outlive the step's scope. A subclass
 * implements {@link #update}, reading the step's rate from {@link #stepLearningRate()}.
 */
public abstract class AbstractOptimizer implements Optimizer {

    private final Map<String, Parameter> params;
    private final List<String> bufferNames;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    /** Gradient sums of {@link #accumulate()}, by parameter name; owned, outside every scope. */
    private final Map<String, Tensor> gradSums = new LinkedHashMap<>();
    private double learningRate;
    private double stepLearningRate;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private GradientClipping clipping = GradientClipping.NONE;
    private long step;

    /** The name suffix of a gradient sum in {@link #state()}. */
    public static final String GRAD_SUM = "grad_sum";

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

    /**
     * The learning rate of the update in progress: the base rate times the schedule's factor at
     * this step (exactly the base rate under the constant schedule).
     */
    protected final double stepLearningRate() {
        return stepLearningRate;
    }

    /** Counts the step and fixes its learning rate. */
    private void beginStep() {
        stepLearningRate = currentLearningRate();
        step++;
    }

    @Override
    public final void step() {
        beginStep();
        double scale = normScale();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Update u = prepare(e.getKey(), e.getValue(), scale);
            if (u != null) {
                u.finish(u.compute());
            }
        }
        zeroGrad();
        closeGradSums();
    }

    /**
     * Updates each parameter as soon as the backward pass has its gradient, on a {@link Parallel}
     * worker beside the rest of the pass (the pass no longer reads the parameter by then), when
     * the backend has more than one thread. The last parameter to get its gradient is updated on
     * this thread, which would otherwise wait. Every update is the one {@link #step()} makes:
     * each touches only its own parameter and state, so their order does not matter. Like
     * {@link Optimizer#backwardAndStep}, the pass frees forward values after their last use.
     */
    @Override
    public final void backwardAndStep(Variable loss) {
        // Norm clipping needs every gradient before the first update; accumulated sums are
        // added in the plain step.
        if (loss.backend().threads() < 2 || clipping.byNorm() || !gradSums.isEmpty()) {
            loss.backwardFreeingValues(leaf -> { });
            step();
            return;
        }
        beginStep();
        Map<Variable, String> names = new IdentityHashMap<>();
        params.forEach((name, p) -> names.put(p, name));
        List<Update> started = new ArrayList<>();
        Update[] last = new Update[1];
        try {
            loss.backwardFreeingValues(leaf -> {
                String name = names.remove(leaf);
                Update u = name == null ? null : prepare(name, (Parameter) leaf, 1);
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
                Update u = prepare(name, params.get(name), 1);
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

    /** The parameter's current gradient, or null; throws if it belongs to a closed scope. */
    private static Tensor liveGrad(String name, Parameter p) {
        Tensor grad = p.grad();
        if (grad != null && grad.isClosed()) {
            throw new IllegalStateException("step: the gradient of " + name
                    + " was freed; call step() in the same scope as backward()");
        }
        return grad;
    }

    /**
     * The factor that brings the global L2 norm of every gradient this step applies (after
     * value clipping, with the accumulated sums) down to the clipping's maximum; 1 without norm
     * clipping or when the norm is within it. Computed on the host in double precision.
     */
    private double normScale() {
        if (!clipping.byNorm()) {
            return 1;
        }
        double squares = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor grad = liveGrad(e.getKey(), e.getValue());
            Tensor sum = gradSums.get(e.getKey());
            if (grad == null && sum == null) {
                continue;
            }
            float[] g = grad == null ? new float[e.getValue().size()] : grad.toArray();
            float[] s = sum == null ? null : sum.toArray();
            for (int i = 0; i < g.length; i++) {
                float v = s == null ? g[i] : s[i] + g[i];
                if (clipping.byValue()) {
                    v = (float) Math.max(-clipping.maxValue(), Math.min(clipping.maxValue(), v));
                }
                squares += (double) v * v;
            }
        }
        double norm = Math.sqrt(squares);
        return norm > clipping.maxNorm()
                ? clipping.maxNorm() / (norm + GradientClipping.NORM_EPSILON) : 1;
    }

    /**
     * The update of one parameter with its gradient (plus its accumulated sum, times {@code
     * scale}) and state, or null if it has neither gradient nor sum.
     */
    private Update prepare(String name, Parameter p, double scale) {
        Tensor grad = liveGrad(name, p);
        Tensor sum = gradSums.get(name);
        if (grad == null && sum == null) {
            return null;
        }
        Backend be = p.backend();
        Tensor[] state = new Tensor[bufferNames.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] = buffers.computeIfAbsent(name + "." + bufferNames.get(i),
                    k -> TensorScope.untrack(be.zeros(p.shape())));
        }
        return new Update(name, p, grad, sum, scale, state);
    }

    /**
     * One parameter's update: {@link #compute} may run on any thread (it touches only this
     * parameter, its gradient and its state); {@link #finish} runs on the optimizer's thread.
     */
    private final class Update {
        final String name;
        final Parameter param;
        final Tensor grad;
        final Tensor sum;
        final double scale;
        final Tensor[] state;
        final long t = step;
        Parallel.Forked<Tensor[]> forked;

        Update(String name, Parameter param, Tensor grad, Tensor sum, double scale,
                Tensor[] state) {
            this.name = name;
            this.param = param;
            this.grad = grad;
            this.sum = sum;
            this.scale = scale;
            this.state = state;
        }

        void start() {
            forked = Parallel.forThreads(param.backend().threads()).fork(this::compute);
        }

        Tensor[] compute() {
            Backend be = param.backend();
            try (TensorScope scope = be.newScope()) {
                Tensor[] next = update(be, param, clipped(be, gradient(be)), state, t);
                for (Tensor n : next) {
                    TensorScope.untrack(n);
                }
                return next;
            }
        }

        /** The gradient this step applies: the accumulated sum plus the current gradient. */
        Tensor gradient(Backend be) {
            return sum == null ? grad : grad == null ? sum : be.add(sum, grad);
        }

        Tensor clipped(Backend be, Tensor g) {
            if (clipping.byValue()) {
                float c = (float) clipping.maxValue();
                g = be.binary(BinaryOp.MIN, be.binary(BinaryOp.MAX, g, be.scalar(-c)),
                        be.scalar(c));
            }
            return scale == 1 ? g : be.mul(g, be.scalar((float) scale));
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
    public final void accumulate() {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor grad = liveGrad(e.getKey(), e.getValue());
            if (grad == null) {
                continue;
            }
            Backend be = grad.backend();
            Tensor old = gradSums.get(e.getKey());
            // a copy, not the gradient itself: one tensor may be the gradient of several leaves
            Tensor sum = old == null ? be.fromArray(grad.toArray(), grad.shape())
                    : be.add(old, grad);
            gradSums.put(e.getKey(), TensorScope.untrack(sum));
            if (old != null) {
                old.close();
            }
        }
        zeroGrad();
    }

    @Override
    public final boolean hasAccumulatedGradients() {
        return !gradSums.isEmpty();
    }

    private void closeGradSums() {
        gradSums.values().forEach(Tensor::close);
        gradSums.clear();
    }

    @Override
    public final double currentLearningRate() {
        double factor = schedule.factor(step);
        // the constant schedule leaves the base rate untouched, bit for bit
        return factor == 1 ? learningRate : learningRate * factor;
    }

    @Override
    public final LearningRateSchedule schedule() {
        return schedule;
    }

    @Override
    public final void setSchedule(LearningRateSchedule schedule) {
        this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
    }

    @Override
    public final GradientClipping gradientClipping() {
        return clipping;
    }

    @Override
    public final void setGradientClipping(GradientClipping clipping) {
        this.clipping = java.util.Objects.requireNonNull(clipping, "clipping");
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
        gradSums.forEach((k, t) -> copy.put(k + "." + GRAD_SUM, t.toArray()));
        return new OptimizerState(step, copy);
    }

    @Override
    public final void loadState(OptimizerState state) {
        Map<String, Tensor> loaded = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>(state.buffers().keySet());
        List<String> names = new ArrayList<>(bufferNames);
        names.add(GRAD_SUM);
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            for (String b : names) {
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
        closeGradSums();
        String suffix = "." + GRAD_SUM;
        loaded.forEach((k, t) -> {
            if (k.endsWith(suffix)) {
                gradSums.put(k.substring(0, k.length() - suffix.length()), t);
            } else {
                buffers.put(k, t);
            }
        });
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
        closeGradSums();
    }
}
