package org.vae4j.tensor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The profiling decorator: every family of a complete kernel set, each call timed by an
 * {@link OpProfiler} under its op's name ({@link OpNames}; an optional kernel's name is its op's). {@link Backend#setProfiler} swaps it
 * in and out, so the path without a profiler has no profiling code at all. A composite runs its
 * primitives through the backend's front door, so they are timed as well and the composite is
 * charged its self time only.
 */
final class ProfiledKernels implements CoreKernels {

    /** The optional family each optional kernel interface stands for. */
    private static final Map<Class<?>, KernelFamily> FAMILY_OF = new HashMap<>();

    static {
        for (KernelFamily f : KernelFamily.values()) {
            if (f.optional()) {
                FAMILY_OF.put(f.kernels(), f);
            }
        }
    }

    private final Kernels inner;
    private final OpProfiler p;

    private ProfiledKernels(Kernels inner, OpProfiler p) {
        this.inner = inner;
        this.p = p;
    }

    /** {@code complete} (every family present) with each call timed by {@code profiler}. */
    static Kernels wrap(Kernels complete, OpProfiler profiler) {
        List<Class<?>> optional = new ArrayList<>(FAMILY_OF.keySet());
        Object families = Proxy.newProxyInstance(ProfiledKernels.class.getClassLoader(),
                optional.toArray(new Class<?>[0]), new OptionalFamilies(complete, profiler));
        return Kernels.of(new ProfiledKernels(complete, profiler))
                .withLayer((LayerKernels) families)
                .withActivation((ActivationKernels) families)
                .withLoss((LossKernels) families)
                .withReduction((ReductionKernels) families)
                .withOptimizer((OptimizerKernels) families)
                .withConvolution((ConvolutionKernels) families);
    }

    @Override
    public Tensor upload(float[] data, Shape shape) {
        return p.time(OpNames.FROM_ARRAY, () -> inner.core().upload(data, shape));
    }

    @Override
    public float[] download(Tensor t) {
        return p.time(OpNames.TO_ARRAY, () -> inner.core().download(t));
    }

    @Override
    public Tensor full(Shape shape, float value) {
        return p.time(OpNames.FULL, () -> inner.core().full(shape, value));
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        return p.time(OpNames.of(op), () -> inner.core().unary(op, x));
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out) {
        return p.time(OpNames.of(op), () -> inner.core().binary(op, a, b, out));
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, Shape out) {
        return p.time(OpNames.of(op), () -> inner.core().reduce(op, x, axes, out));
    }

    @Override
    public Tensor argReduce(ArgOp op, Tensor x, int axis, Shape out) {
        return p.time(OpNames.of(op), () -> inner.core().argReduce(op, x, axis, out));
    }

    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
        return p.time(OpNames.MATMUL, () -> inner.core().matmul(a, transA, b, transB, out));
    }

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        return p.time(OpNames.RESHAPE, () -> inner.core().reshape(x, shape));
    }

    @Override
    public Tensor transpose(Tensor x, int[] perm, Shape out) {
        return p.time(OpNames.TRANSPOSE, () -> inner.core().transpose(x, perm, out));
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int end, Shape out) {
        return p.time(OpNames.SLICE, () -> inner.core().slice(x, axis, start, end, out));
    }

    @Override
    public Tensor stridedSlice(Tensor x, int[] start, int[] step, Shape out) {
        return p.time(OpNames.SLICE, () -> inner.core().stridedSlice(x, start, step, out));
    }

    @Override
    public Tensor pad(Tensor x, int[] before, int[] after, float value, Shape out) {
        return p.time(OpNames.PAD, () -> inner.core().pad(x, before, after, value, out));
    }

    @Override
    public Tensor broadcastTo(Tensor x, Shape out) {
        return p.time(OpNames.BROADCAST_TO, () -> inner.core().broadcastTo(x, out));
    }

    @Override
    public Tensor concat(List<Tensor> xs, int axis, Shape out) {
        return p.time(OpNames.CONCAT, () -> inner.core().concat(xs, axis, out));
    }

    @Override
    public Tensor gatherRows(Tensor x, int[] rows, Shape out) {
        return p.time(OpNames.GATHER_ROWS, () -> inner.core().gatherRows(x, rows, out));
    }

    @Override
    public Tensor scatterAddRows(Tensor src, int[] rows, Shape out) {
        return p.time(OpNames.SCATTER_ADD_ROWS, () -> inner.core().scatterAddRows(src, rows, out));
    }

    @Override
    public Tensor oneHot(int[] labels, int classes) {
        return p.time(OpNames.ONE_HOT, () -> inner.core().oneHot(labels, classes));
    }

    /**
     * Times a call of an optional family's kernel under the kernel's name (every optional kernel
     * is named as its op). A proxy, so that a kernel added to a family is timed with no code
     * here; the reflective call costs only while profiling.
     */
    private record OptionalFamilies(Kernels inner, OpProfiler p) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "profiled " + inner.core();
                };
            }
            Object target = inner.family(FAMILY_OF.get(method.getDeclaringClass()));
            return p.time(method.getName(), () -> {
                try {
                    return method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
