package org.vae4j.backend.nd4j;

import java.util.List;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastTo;
import org.nd4j.linalg.api.ops.impl.indexaccum.custom.ArgMax;
import org.nd4j.linalg.api.ops.impl.indexaccum.custom.ArgMin;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.api.ops.impl.shape.Concat;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.api.ops.impl.shape.Slice;
import org.nd4j.linalg.api.ops.impl.shape.StridedSlice;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThan;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Reciprocal;
import org.nd4j.linalg.api.ops.impl.transforms.same.Square;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.UnaryOp;

/**
 * The primitives mapped to ND4J's native ops, one switch per op group.
 *
 * <p>Every kernel returns a new row-major float32 array that owns its buffer (never a view of an
 * input). Where ND4J's own op differs from the reference semantics, the kernel composes other
 * native ops: softplus and log-sigmoid from relu/abs/exp/log1p (ND4J's softplus overflows), and
 * MAX/MIN/SIGN/reduce-max re-insert the NaNs that ND4J's comparisons drop. Custom ops run through
 * {@link #run} with preallocated outputs, never {@code Nd4j.exec(op)}, {@code Nd4j.gemm} or
 * {@code Nd4j.concat} (see there why). Temporaries are freed at once (a no-op inside a workspace,
 * where the scope reclaims them).
 */
final class Nd4jKernels {

    private Nd4jKernels() {
    }

    static INDArray alloc(long[] dims) {
        return Nd4j.createUninitialized(DataType.FLOAT, dims);
    }

    // ---------------------------------------------------------------- transfer

    static INDArray upload(float[] data, long[] dims) {
        if (data.length == 0) {
            return empty(dims);
        }
        INDArray z = alloc(dims);
        z.data().asNioFloat().put(data, 0, data.length);
        return z;
    }

    static float[] download(INDArray x) {
        INDArray src = isPlain(x) ? x : x.dup('c');
        float[] r = new float[(int) x.length()];
        src.data().asNioFloat().get(r, 0, r.length);
        if (src != x) {
            free(src);
        }
        return r;
    }

    /** Whether the buffer holds exactly the array's values in row-major order. */
    private static boolean isPlain(INDArray x) {
        return x.ordering() == 'c' && x.offset() == 0 && x.data().length() == x.length()
                && x.dataType() == DataType.FLOAT && (x.rank() < 2 || Nd4jKernels.isCompact(x));
    }

    private static boolean isCompact(INDArray x) {
        long expected = 1;
        for (int k = x.rank() - 1; k >= 0; k--) {
            if (x.size(k) != 1 && x.stride(k) != expected) {
                return false;
            }
            expected *= x.size(k);
        }
        return true;
    }

    static INDArray full(long[] dims, float value) {
        for (long d : dims) {
            if (d == 0) {
                return empty(dims);
            }
        }
        return alloc(dims).assign(value);
    }

    /** An array with a zero dimension; workspaces cannot hold one, and it has no buffer anyway. */
    private static INDArray empty(long[] dims) {
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(DataType.FLOAT, dims);
        }
    }

    // ---------------------------------------------------------------- elementwise

    static INDArray unary(UnaryOp op, INDArray x) {
        return switch (op) {
            case NEG -> Transforms.neg(x, true);
            case EXP -> Transforms.exp(x, true);
            case LOG -> Transforms.log(x, true);
            case SQRT -> Transforms.sqrt(x, true);
            case ABS -> Transforms.abs(x, true);
            case SQUARE -> Nd4j.exec(new Square(x, alloc(x.shape())));
            case RECIPROCAL -> Nd4j.exec(new Reciprocal(x, alloc(x.shape())));
            case TANH -> Transforms.tanh(x, true);
            case SIGMOID -> Transforms.sigmoid(x, true);
            case RELU -> Transforms.relu(x, true);
            case SOFTPLUS -> softplus(x);
            case LOG_SIGMOID -> logSigmoid(x);
            case STEP -> Transforms.step(x, true);
            case SIGN -> propagateNaN(Transforms.sign(x, true), x);
            case ERF -> Nd4j.exec(new Erf(x, alloc(x.shape())));
        };
    }

    /** {@code log1p(exp(-|x|))}, the bounded part of softplus and log-sigmoid. */
    private static INDArray log1pExpNegAbs(INDArray x) {
        INDArray t = Transforms.abs(x, true);
        t.negi();
        Transforms.exp(t, false);
        return Transforms.log1p(t, false);
    }

    /** {@code max(x, 0) + log1p(exp(-|x|))}: ND4J's own softplus overflows to inf near 89. */
    private static INDArray softplus(INDArray x) {
        INDArray t = log1pExpNegAbs(x);
        INDArray r = Transforms.relu(x, true).addi(t);
        free(t);
        return r;
    }

    /** {@code min(x, 0) - log1p(exp(-|x|))}. */
    private static INDArray logSigmoid(INDArray x) {
        INDArray t = log1pExpNegAbs(x);
        INDArray r = Transforms.min(x, 0.0, true).subi(t);
        free(t);
        return r;
    }

    static INDArray binary(BinaryOp op, INDArray a, INDArray b, long[] out) {
        return switch (op) {
            case ADD -> pairwise(new AddOp(), a, b, alloc(out));
            case SUB -> pairwise(new SubOp(), a, b, alloc(out));
            case MUL -> pairwise(new MulOp(), a, b, alloc(out));
            case DIV -> pairwise(new DivOp(), a, b, alloc(out));
            case MAX -> propagateNaN(propagateNaN(pairwise(
                    new org.nd4j.linalg.api.ops.impl.transforms.custom.Max(), a, b, alloc(out)),
                    a), b);
            case MIN -> propagateNaN(propagateNaN(pairwise(
                    new org.nd4j.linalg.api.ops.impl.transforms.custom.Min(), a, b, alloc(out)),
                    a), b);
            case GREATER -> toFloat(pairwise(new GreaterThan(), a, b, allocBool(out)));
            case EQUAL -> toFloat(pairwise(new EqualTo(), a, b, allocBool(out)));
        };
    }

    // ---------------------------------------------------------------- reductions

    static INDArray reduce(ReduceOp op, INDArray x, int[] axes, long[] out) {
        boolean keepDims = out.length == x.rank();
        INDArray z = alloc(out);
        if (op == ReduceOp.SUM && x.rank() == 2 && axes.length == 1 && axes[0] == 0) {
            return sumOverRows(x, z);
        }
        return switch (op) {
            case SUM -> Nd4j.getExecutioner().exec(new Sum(x, z, keepDims, axes));
            case MEAN -> Nd4j.getExecutioner().exec(new Mean(x, z, keepDims, axes));
            case MAX -> reduceMax(x, z, keepDims, axes);
        };
    }

    /** Rows of ones by length, made once outside any workspace: the left factor of a row sum. */
    private static final java.util.Map<Long, INDArray> ONES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The sum over the rows of a matrix (a bias gradient) as the product {@code 1ᵀ·x} by BLAS:
     * ND4J's reduction along the first axis walks the columns with a stride and takes about
     * twice as long.
     */
    private static INDArray sumOverRows(INDArray x, INDArray z) {
        INDArray ones = ONES.computeIfAbsent(x.size(0), n -> {
            try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return Nd4j.ones(DataType.FLOAT, 1, n);
            }
        });
        INDArray row = z.reshape('c', 1, x.size(1));
        run(new Mmul(ones, x, row, 1.0, 0.0, MMulTranspose.builder().build()),
                new INDArray[] {ones, x}, row);
        return z;
    }

    /** ND4J's max skips NaN; the reference gives NaN for any slice that holds one. */
    private static INDArray reduceMax(INDArray x, INDArray z, boolean keepDims, int[] axes) {
        Nd4j.getExecutioner().exec(
                new org.nd4j.linalg.api.ops.impl.reduce.same.Max(x, z, keepDims, axes));
        if (!hasNaN(x)) {
            return z;
        }
        INDArray count = Nd4j.getExecutioner().exec(
                new MatchCondition(x, Conditions.isNan(), keepDims, axes));
        INDArray clean = toFloat(count.eq(0));
        INDArray mask = clean.reshape('c', z.shape());
        z.muli(mask).divi(mask);
        free(count, clean);
        return z;
    }

    static INDArray argReduce(ArgOp op, INDArray x, int axis) {
        INDArray[] in = {x};
        int[] dims = {axis};
        long[] reduced = new long[x.rank() - 1];
        for (int k = 0, j = 0; k < x.rank(); k++) {
            if (k != axis) {
                reduced[j++] = x.size(k);
            }
        }
        INDArray index = Nd4j.createUninitialized(DataType.LONG, reduced);
        switch (op) {
            case ARGMIN -> run(new ArgMin(in, false, dims), in, index);
            case ARGMAX -> run(new ArgMax(in, false, dims), in, index);
        }
        return toFloat(index);
    }

    // ---------------------------------------------------------------- matmul

    static INDArray matmul(INDArray a, boolean transA, INDArray b, boolean transB, long[] out) {
        INDArray z = alloc(out);
        MMulTranspose flags = MMulTranspose.builder().transposeA(transA).transposeB(transB).build();
        run(new Mmul(a, b, z, 1.0, 0.0, flags), new INDArray[] {a, b}, z);
        return z;
    }

    /** {@code x·w + b}: the product into a new array, then the bias broadcast-added in place. */
    static INDArray linear(INDArray x, INDArray w, INDArray b) {
        INDArray z = matmul(x, false, w, false, new long[] {x.size(0), w.size(1)});
        return pairwise(new AddOp(), z, b, z);
    }

    /** {@code relu(x·w + b)}: the product, then the bias and the relu in place on it. */
    static INDArray linearRelu(INDArray x, INDArray w, INDArray b) {
        INDArray z = linear(x, w, b);
        return Nd4j.getExecutioner().exec(new RectifiedLinear(z, z, 0.0));
    }

    // ---------------------------------------------------------------- training

    /**
     * One Adam step written into {@code p}, {@code m} and {@code v} through their native buffers,
     * with the definition's arithmetic ({@link AdamStep#applyInPlace}). ND4J's own
     * {@code adam_updater} puts eps elsewhere and, like its {@code sqrt}, takes 3-4 ns per element
     * on one thread, against about 1 ns here. Returns false, doing nothing, unless all four are
     * plain row-major float arrays of one length.
     */
    static boolean adamUpdateInPlace(INDArray p, INDArray g, INDArray m, INDArray v,
            AdamStep s, int threads) {
        if (!isPlain(p) || !isPlain(g) || !isPlain(m) || !isPlain(v)) {
            return false;
        }
        s.applyInPlace(p.data().asNioFloat(), g.data().asNioFloat(), m.data().asNioFloat(),
                v.data().asNioFloat(), threads);
        return true;
    }

    // ---------------------------------------------------------------- movement

    static INDArray copy(INDArray x) {
        return x.dup('c');
    }

    static INDArray transpose(INDArray x, int[] perm) {
        return x.rank() < 2 ? x.dup('c') : x.permute(perm).dup('c');
    }

    /**
     * The native {@code slice} op into a new array: a view through {@code NDArrayIndex} and a
     * copy of it cost twice as much, mostly in Java.
     */
    static INDArray slice(INDArray x, int axis, int start, int end, long[] out) {
        int[] begin = new int[x.rank()];
        int[] size = new int[x.rank()];
        for (int k = 0; k < begin.length; k++) {
            begin[k] = k == axis ? start : 0;
            size[k] = (int) out[k];
        }
        INDArray z = alloc(out);
        run(new Slice(x, begin, size), new INDArray[] {x}, z);
        return z;
    }

    /** The native {@code strided_slice} op (no masks: every range is explicit). */
    static INDArray stridedSlice(INDArray x, int[] start, int[] step, long[] out) {
        int[] end = new int[start.length];
        for (int k = 0; k < end.length; k++) {
            // the last element taken plus one, so the op's ceil rule gives exactly out[k]
            end[k] = start[k] + (int) (out[k] - 1) * step[k] + 1;
        }
        INDArray z = alloc(out);
        run(new StridedSlice(x, start, end, step, 0, 0, 0, 0, 0), new INDArray[] {x}, z);
        return z;
    }

    /** The native constant {@code pad} op; the widths go in as a {@code (rank x 2)} int array. */
    static INDArray pad(INDArray x, int[] before, int[] after, float value, long[] out) {
        int[][] widths = new int[before.length][];
        for (int k = 0; k < widths.length; k++) {
            widths[k] = new int[] {before[k], after[k]};
        }
        INDArray padding = Nd4j.createFromArray(widths);
        try {
            INDArray z = alloc(out);
            Pad op = new Pad(x, padding, z, Pad.Mode.CONSTANT, value);
            run(op, new INDArray[] {x, padding}, z);
            return z;
        } finally {
            free(padding);
        }
    }

    /** The native {@code broadcast_to} op. */
    static INDArray broadcastTo(INDArray x, long[] out) {
        INDArray z = alloc(out);
        BroadcastTo op = new BroadcastTo(x, out, z);
        run(op, op.inputArguments().toArray(new INDArray[0]), z);
        return z;
    }

    static INDArray concat(List<INDArray> xs, int axis, long[] out) {
        INDArray[] in = xs.toArray(new INDArray[0]);
        INDArray z = alloc(out);
        run(new Concat(axis, in), in, z);
        return z;
    }

    static INDArray gatherRows(INDArray x, int[] rows, long[] out) {
        long rowSize = x.length() / x.size(0);
        INDArray z = alloc(out);
        // pullRows works on matrices; both views share their arrays' buffers.
        Nd4j.pullRows(x.reshape('c', x.size(0), rowSize), z.reshape('c', rows.length, rowSize), 1,
                rows);
        return z;
    }

    static INDArray scatterAddRows(INDArray src, int[] rows, long numRows) {
        long rowSize = src.length() / src.size(0);
        // scatter_add adds into its first input, in place, so the output starts as zeros.
        INDArray sum = Nd4j.zeros(DataType.FLOAT, numRows, rowSize);
        INDArray index = Nd4j.createFromArray(rows);
        INDArray src2d = src.reshape('c', rows.length, rowSize);
        run(new ScatterAdd(sum, index, src2d), new INDArray[] {sum, index, src2d}, sum);
        free(index);
        return sum;
    }

    static INDArray oneHot(int[] labels, int classes) {
        INDArray index = Nd4j.createFromArray(labels);
        INDArray z = alloc(new long[] {labels.length, classes});
        run(new OneHot(index, classes, -1, 1.0, 0.0, DataType.FLOAT), new INDArray[] {index}, z);
        free(index);
        return z;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Runs a custom op with its inputs and preallocated outputs in an op context of its own that
     * is closed at once. {@code Nd4j.exec(op)} (and so {@code Nd4j.gemm}, {@code Nd4j.concat})
     * leaves 0.3 to 0.7 KB of native memory per call that even garbage collection does not give
     * back, and a context reused across calls leaks as much; a closed one leaks nothing and is
     * faster than either.
     */
    static void run(DynamicCustomOp op, INDArray[] inputs, INDArray... outputs) {
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.setInputArrays(inputs);
            context.setOutputArrays(outputs);
            if (op.iArgs().length > 0) {
                context.setIArguments(op.iArgs());
            }
            if (op.tArgs().length > 0) {
                context.setTArguments(op.tArgs());
            }
            if (op.bArgs().length > 0) {
                context.setBArguments(op.bArgs());
            }
            if (op.dArgs().length > 0) {
                context.setDArguments(op.dArgs());
            }
            Nd4j.exec(op, context);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // OpContext.close() declares Exception; closing a native context does not throw.
            throw new IllegalStateException("nd4j: closing an op context failed", e);
        }
    }

    /** Runs a broadcasting two-input op (no arguments besides its arrays) into {@code z}. */
    private static INDArray pairwise(DynamicCustomOp op, INDArray a, INDArray b, INDArray z) {
        run(op, new INDArray[] {a, b}, z);
        return z;
    }

    private static INDArray allocBool(long[] dims) {
        return Nd4j.createUninitialized(DataType.BOOL, dims);
    }

    /** A float copy of a bool or integer array; the original is freed. */
    private static INDArray toFloat(INDArray x) {
        INDArray f = x.castTo(DataType.FLOAT);
        if (f != x) {
            free(x);
        }
        return f;
    }

    static boolean hasNaN(INDArray x) {
        INDArray count = Nd4j.getExecutioner().exec(new MatchCondition(x, Conditions.isNan()));
        boolean any = count.getDouble(0) > 0;
        free(count);
        return any;
    }

    /**
     * Makes {@code z} NaN wherever {@code source} (which broadcasts to z) is NaN; a cheap check
     * first, since the fix-up costs four passes and NaN inputs are rare.
     */
    private static INDArray propagateNaN(INDArray z, INDArray source) {
        if (!hasNaN(source)) {
            return z;
        }
        // 1 where source is a number, 0 where NaN: z * m / m keeps z exactly or gives 0/0 = NaN.
        INDArray m = toFloat(pairwise(new EqualTo(), source, source, allocBool(source.shape())));
        pairwise(new MulOp(), z, m, z);
        pairwise(new DivOp(), z, m, z);
        free(m);
        return z;
    }

    /** Frees temporaries now; inside a workspace this does nothing and the scope reclaims them. */
    static void free(INDArray... xs) {
        for (INDArray x : xs) {
            if (x != null && !x.isAttached() && x.closeable()) {
                x.close();
            }
        }
    }
}
