package org.vae4j.backend.ejml;

import java.util.Arrays;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.UnaryOp;

/**
 * The EJML backend's kernels as static functions from input arrays to a freshly allocated output
 * the caller passes in. They never write their inputs. EJML's {@code CommonOps_FDRM} does what it
 * has (products, sums over rows and columns, 2-D transpose, block copies, a few elementwise
 * functions); plain loops do the rest. Transcendental functions are evaluated in double precision
 * and rounded once, as the reference does.
 *
 * <p>Each op enum is switched over exactly once, here.
 */
final class EjmlKernels {

    /**
     * Products of at least this many multiply-adds (about 0.5 ms on one core) use EJML's
     * concurrent kernels when the backend may use more than one thread; below it the fork-join
     * overhead eats the gain.
     */
    static final long CONCURRENT_MATMUL_WORK = 1L << 19;

    private EjmlKernels() {
    }

    // ---------------------------------------------------------------- unary

    static void unary(UnaryOp op, FMatrixRMaj x, FMatrixRMaj out) {
        float[] in = x.data;
        float[] r = out.data;
        int n = r.length;
        switch (op) {
            case NEG -> CommonOps_FDRM.changeSign(x, out);
            case EXP -> CommonOps_FDRM.elementExp(x, out);
            case LOG -> CommonOps_FDRM.elementLog(x, out);
            case SQRT -> {
                for (int i = 0; i < n; i++) {
                    r[i] = (float) Math.sqrt(in[i]);
                }
            }
            case ABS -> CommonOps_FDRM.abs(x, out);
            case SQUARE -> CommonOps_FDRM.elementMult(x, x, out);
            case RECIPROCAL -> {
                for (int i = 0; i < n; i++) {
                    r[i] = 1f / in[i];
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    r[i] = (float) Math.tanh(in[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    double v = in[i];
                    if (v >= 0) {
                        r[i] = (float) (1.0 / (1.0 + Math.exp(-v)));
                    } else {
                        double e = Math.exp(v);
                        r[i] = (float) (e / (1.0 + e));
                    }
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    r[i] = Math.max(in[i], 0f);
                }
            }
            case SOFTPLUS -> {
                for (int i = 0; i < n; i++) {
                    double v = in[i];
                    r[i] = (float) (Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v))));
                }
            }
            case LOG_SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    double v = in[i];
                    r[i] = (float) (Math.min(v, 0.0) - Math.log1p(Math.exp(-Math.abs(v))));
                }
            }
            case STEP -> {
                for (int i = 0; i < n; i++) {
                    r[i] = in[i] > 0f ? 1f : 0f;
                }
            }
            case SIGN -> {
                for (int i = 0; i < n; i++) {
                    r[i] = Math.signum(in[i]);
                }
            }
            // an op without a loop of its own here runs its definition, on the heap like the rest
            default -> {
                for (int i = 0; i < n; i++) {
                    r[i] = (float) op.apply(in[i]);
                }
            }
        }
    }

    // ---------------------------------------------------------------- binary with broadcasting

    /**
     * {@code out = op(a, b)} with NumPy broadcasting. The three shapes are aligned to rank 4,
     * dimensions of size 1 dropped and neighbours that both operands step through alike merged,
     * so equal shapes become one row, a scalar operand one row with stride 0, and a bias row or
     * column two nested loops; the innermost loop then runs {@link #binaryRow}.
     */
    static void binary(BinaryOp op, float[] a, Shape sa, float[] b, Shape sb, float[] out,
            Shape so) {
        int[] stA = broadcastStrides(sa, so);
        int[] stB = broadcastStrides(sb, so);
        int[] dims = padded(so);
        // groups from the innermost outwards: size, stride in a, stride in b
        int[] gd = {1, 1, 1, 1};
        int[] ga = new int[4];
        int[] gb = new int[4];
        int g = 0;
        for (int k = 3; k >= 0; k--) {
            if (dims[k] == 1) {
                continue;
            }
            if (g > 0 && ga[g - 1] * gd[g - 1] == stA[k] && gb[g - 1] * gd[g - 1] == stB[k]) {
                gd[g - 1] *= dims[k];
            } else {
                gd[g] = dims[k];
                ga[g] = stA[k];
                gb[g] = stB[k];
                g++;
            }
        }
        int n = gd[0];
        int po = 0;
        for (int i3 = 0; i3 < gd[3]; i3++) {
            for (int i2 = 0; i2 < gd[2]; i2++) {
                for (int i1 = 0; i1 < gd[1]; i1++) {
                    int pa = i3 * ga[3] + i2 * ga[2] + i1 * ga[1];
                    int pb = i3 * gb[3] + i2 * gb[2] + i1 * gb[1];
                    binaryRow(op, a, pa, ga[0], b, pb, gb[0], out, po, n);
                    po += n;
                }
            }
        }
    }

    /** {@code n} results from {@code a} and {@code b} stepped by their strides (0 or more). */
    private static void binaryRow(BinaryOp op, float[] a, int pa, int sa, float[] b, int pb,
            int sb, float[] r, int po, int n) {
        int end = po + n;
        switch (op) {
            case ADD -> {
                for (int o = po; o < end; o++, pa += sa, pb += sb) {
                    r[o] = a[pa] + b[pb];
                }
            }
            case SUB -> {
                for (int o = po; o < end; o++, pa += sa, pb += sb) {
                    r[o] = a[pa] - b[pb];
                }
            }
            case MUL -> {
                for (int o = po; o < end; o++, pa += sa, pb += sb) {
                    r[o] = a[pa] * b[pb];
                }
            }
            case DIV -> {
                for (int o = po; o < end; o++, pa += sa, pb += sb) {
                    r[o] = a[pa] / b[pb];
                }
            }
            case MAX -> {
                for (int o = po; o < end; o++, pa += sa, pb += sb) {
                    r[o] = Math.max(a[pa], b[pb]);
                }
            }
            case MIN -> {
                for (int o = po; o < end; o++, pa += sa, pb += sb) {
                    r[o] = Math.min(a[pa], b[pb]);
                }
            }
            case GREATER -> {
                for (int o = po; o < end; o++, pa += sa, pb += sb) {
                    r[o] = a[pa] > b[pb] ? 1f : 0f;
                }
            }
            case EQUAL -> {
                for (int o = po; o < end; o++, pa += sa, pb += sb) {
                    r[o] = a[pa] == b[pb] ? 1f : 0f;
                }
            }
            default -> throw new IllegalArgumentException("binary op " + op + " has no EJML kernel");
        }
    }

    /** The dimensions of {@code s} left-padded with 1s to rank 4. */
    private static int[] padded(Shape s) {
        int[] d = {1, 1, 1, 1};
        int off = 4 - s.rank();
        for (int k = 0; k < s.rank(); k++) {
            d[off + k] = s.dim(k);
        }
        return d;
    }

    /** Strides of {@code s} aligned to rank 4 under {@code out}; 0 where {@code s} broadcasts. */
    private static int[] broadcastStrides(Shape s, Shape out) {
        int[] strides = s.strides();
        int[] r = new int[4];
        int off = 4 - s.rank();
        for (int k = 0; k < s.rank(); k++) {
            r[off + k] = s.dim(k) == 1 ? 0 : strides[k];
        }
        return r;
    }

    // ---------------------------------------------------------------- reductions

    /**
     * Reduces the sorted {@code axes}. Dimensions of size 1 are dropped and neighbours that are
     * both reduced or both kept merged; what is left as {@code (kept x reduced)} or
     * {@code (reduced x kept)} goes to EJML's {@code sumRows} / {@code sumCols}, the rest to
     * one loop nest over at most four groups.
     */
    static void reduce(ReduceOp op, float[] x, Shape shape, int[] axes, float[] out) {
        int[] gd = new int[4];
        boolean[] gr = new boolean[4];
        int g = 0;
        int count = 1;
        int a = 0;
        for (int k = 0; k < shape.rank(); k++) {
            boolean reduced = a < axes.length && axes[a] == k;
            if (reduced) {
                a++;
                count *= shape.dim(k);
            }
            int d = shape.dim(k);
            if (d == 1) {
                continue;
            }
            if (g > 0 && gr[g - 1] == reduced) {
                gd[g - 1] *= d;
            } else {
                gd[g] = d;
                gr[g] = reduced;
                g++;
            }
        }
        switch (op) {
            case SUM -> sum(x, gd, gr, g, out);
            case MEAN -> {
                sum(x, gd, gr, g, out);
                float c = count;
                for (int i = 0; i < out.length; i++) {
                    out[i] /= c;
                }
            }
            case MAX -> max(x, gd, gr, g, out);
            default -> throw new IllegalArgumentException("reduce op " + op + " has no EJML kernel");
        }
    }

    private static void sum(float[] x, int[] gd, boolean[] gr, int g, float[] out) {
        if (g == 2 && !gr[0] && gr[1]) {
            CommonOps_FDRM.sumRows(FMatrixRMaj.wrap(gd[0], gd[1], x),
                    FMatrixRMaj.wrap(gd[0], 1, out));
            return;
        }
        if (g == 2 && gr[0] && !gr[1]) {
            CommonOps_FDRM.sumCols(FMatrixRMaj.wrap(gd[0], gd[1], x),
                    FMatrixRMaj.wrap(1, gd[1], out));
            return;
        }
        double[] acc = new double[out.length];
        forEachLane(x, gd, gr, g, (o, p, n, stride) -> {
            double s = 0;
            for (int k = 0; k < n; k++) {
                s += x[p + k * stride];
            }
            acc[o] += s;
        });
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) acc[i];
        }
    }

    private static void max(float[] x, int[] gd, boolean[] gr, int g, float[] out) {
        Arrays.fill(out, Float.NEGATIVE_INFINITY);
        forEachLane(x, gd, gr, g, (o, p, n, stride) -> {
            float m = out[o];
            for (int k = 0; k < n; k++) {
                m = Math.max(m, x[p + k * stride]);
            }
            out[o] = m;
        });
    }

    /** One lane of a reduction: {@code n} values from {@code p} by {@code stride} into {@code o}. */
    private interface Lane {
        void run(int o, int p, int n, int stride);
    }

    /**
     * Calls {@code lane} for every run of reduced values: the coalesced groups are padded to four
     * (outermost first); the innermost reduced group gives the lane, every other position an
     * output index.
     */
    private static void forEachLane(float[] x, int[] gd, boolean[] gr, int g, Lane lane) {
        // pad to four groups, outermost first
        int[] d = {1, 1, 1, 1};
        boolean[] red = new boolean[4];
        for (int k = 0; k < g; k++) {
            d[4 - g + k] = gd[k];
            red[4 - g + k] = gr[k];
        }
        int[] inStride = new int[4];
        int[] outStride = new int[4];
        int si = 1;
        int so = 1;
        for (int k = 3; k >= 0; k--) {
            inStride[k] = si;
            si *= d[k];
            outStride[k] = red[k] ? 0 : so;
            so *= red[k] ? 1 : d[k];
        }
        // the lane runs along the innermost reduced group; the loops cover the other three
        int laneAxis = 3;
        while (laneAxis > 0 && !red[laneAxis]) {
            laneAxis--;
        }
        if (!red[laneAxis]) {
            // nothing is reduced (all reduced axes had size 1): each value is its own lane
            for (int i = 0; i < x.length; i++) {
                lane.run(i, i, 1, 1);
            }
            return;
        }
        int n = d[laneAxis];
        int stride = inStride[laneAxis];
        int[] loop = new int[3];
        int[] ls = new int[3];
        int[] lo = new int[3];
        int[] ld = new int[3];
        for (int k = 0, j = 0; k < 4; k++) {
            if (k != laneAxis) {
                ld[j] = d[k];
                ls[j] = inStride[k];
                lo[j] = outStride[k];
                j++;
            }
        }
        for (loop[0] = 0; loop[0] < ld[0]; loop[0]++) {
            for (loop[1] = 0; loop[1] < ld[1]; loop[1]++) {
                for (loop[2] = 0; loop[2] < ld[2]; loop[2]++) {
                    int p = loop[0] * ls[0] + loop[1] * ls[1] + loop[2] * ls[2];
                    int o = loop[0] * lo[0] + loop[1] * lo[1] + loop[2] * lo[2];
                    lane.run(o, p, n, stride);
                }
            }
        }
    }

    /** The first index of the extreme value along {@code axis}, as the reference picks it. */
    static void argReduce(ArgOp op, float[] x, Shape shape, int axis, float[] out) {
        int outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= shape.dim(k);
        }
        int n = shape.dim(axis);
        int inner = x.length / outer / n;
        boolean min = switch (op) {
            case ARGMIN -> true;
            case ARGMAX -> false;
        };
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            for (int i = 0; i < inner; i++) {
                int best = 0;
                float bestV = x[base + i];
                for (int j = 1, p = base + inner + i; j < n; j++, p += inner) {
                    float v = x[p];
                    if (min ? v < bestV : v > bestV) {
                        best = j;
                        bestV = v;
                    }
                }
                out[o * inner + i] = best;
            }
        }
    }

    // ---------------------------------------------------------------- matmul

    /** {@code out = op(a)·op(b)} by EJML, concurrent for large products if threads allow. */
    static void matmul(FMatrixRMaj a, boolean transA, FMatrixRMaj b, boolean transB,
            FMatrixRMaj out, int threads) {
        long work = (long) out.numRows * out.numCols * (transA ? a.numRows : a.numCols);
        boolean concurrent = threads > 1 && work >= CONCURRENT_MATMUL_WORK;
        if (!transA && !transB) {
            if (concurrent) {
                CommonOps_MT_FDRM.mult(a, b, out);
            } else {
                CommonOps_FDRM.mult(a, b, out);
            }
        } else if (transA && !transB) {
            if (concurrent) {
                CommonOps_MT_FDRM.multTransA(a, b, out);
            } else {
                CommonOps_FDRM.multTransA(a, b, out);
            }
        } else if (!transA) {
            // multTransB runs row-by-row dot products at about half the speed of mult, even
            // counting the copy (128x784 times 400x784 transposed: 28-31 ms against 12-15 ms)
            FMatrixRMaj bt = CommonOps_FDRM.transpose(b, new FMatrixRMaj(b.numCols, b.numRows));
            if (concurrent) {
                CommonOps_MT_FDRM.mult(a, bt, out);
            } else {
                CommonOps_FDRM.mult(a, bt, out);
            }
        } else {
            if (concurrent) {
                CommonOps_MT_FDRM.multTransAB(a, b, out);
            } else {
                CommonOps_FDRM.multTransAB(a, b, out);
            }
        }
    }

    // ---------------------------------------------------------------- movement

    /**
     * Permutes axes. Dimensions of size 1 are dropped and input axes that stay neighbours in the
     * output merged; one group is a copy, two are EJML's 2-D transpose, more run a loop nest.
     */
    static void transpose(float[] x, Shape shape, int[] perm, float[] out) {
        int rank = shape.rank();
        // compact index of each input axis of size > 1
        int[] compact = new int[rank];
        int m = 0;
        for (int k = 0; k < rank; k++) {
            compact[k] = shape.dim(k) == 1 ? -1 : m++;
        }
        int[] dims = new int[m];
        for (int k = 0; k < rank; k++) {
            if (compact[k] >= 0) {
                dims[compact[k]] = shape.dim(k);
            }
        }
        int[] q = new int[m];
        int qi = 0;
        for (int p : perm) {
            if (compact[p] >= 0) {
                q[qi++] = compact[p];
            }
        }
        // groups of input axes that stay consecutive, in output order: first input axis, size
        int[] first = new int[4];
        int[] size = new int[4];
        int g = 0;
        for (int i = 0; i < m; i++) {
            if (g > 0 && q[i] == q[i - 1] + 1) {
                size[g - 1] *= dims[q[i]];
            } else {
                first[g] = q[i];
                size[g] = dims[q[i]];
                g++;
            }
        }
        if (g <= 1) {
            System.arraycopy(x, 0, out, 0, out.length);
            return;
        }
        if (g == 2) {
            // output (A x B) from input (B x A): a 2-D transpose
            CommonOps_FDRM.transpose(FMatrixRMaj.wrap(size[1], size[0], x),
                    FMatrixRMaj.wrap(size[0], size[1], out));
            return;
        }
        // input stride of each group: groups in input order are sorted by their first axis
        int[] stride = new int[g];
        for (int i = 0; i < g; i++) {
            int s = 1;
            for (int j = 0; j < g; j++) {
                if (first[j] > first[i]) {
                    s *= size[j];
                }
            }
            stride[i] = s;
        }
        int[] d = {1, 1, 1, 1};
        int[] st = new int[4];
        for (int i = 0; i < g; i++) {
            d[4 - g + i] = size[i];
            st[4 - g + i] = stride[i];
        }
        int o = 0;
        for (int i0 = 0; i0 < d[0]; i0++) {
            for (int i1 = 0; i1 < d[1]; i1++) {
                for (int i2 = 0; i2 < d[2]; i2++) {
                    int p = i0 * st[0] + i1 * st[1] + i2 * st[2];
                    int s3 = st[3];
                    for (int i3 = 0; i3 < d[3]; i3++, p += s3) {
                        out[o++] = x[p];
                    }
                }
            }
        }
    }

    /** Elements {@code start..end} along {@code axis}: one EJML block extract. */
    static void slice(float[] x, Shape shape, int axis, int start, int end, float[] out) {
        int outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= shape.dim(k);
        }
        int n = shape.dim(axis);
        int inner = x.length / outer / n;
        CommonOps_FDRM.extract(FMatrixRMaj.wrap(outer, n * inner, x), 0, outer, start * inner,
                end * inner, FMatrixRMaj.wrap(outer, (end - start) * inner, out), 0, 0);
    }

    /** Joins along {@code axis}: each part is one EJML block insert into the output. */
    static void concat(float[][] parts, Shape[] shapes, int axis, float[] out, Shape outShape) {
        int outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= outShape.dim(k);
        }
        int inner = out.length / outer / outShape.dim(axis);
        FMatrixRMaj dst = FMatrixRMaj.wrap(outer, outShape.dim(axis) * inner, out);
        int offset = 0;
        for (int i = 0; i < parts.length; i++) {
            int n = shapes[i].dim(axis);
            CommonOps_FDRM.insert(FMatrixRMaj.wrap(outer, n * inner, parts[i]), dst, 0,
                    offset * inner);
            offset += n;
        }
    }

    static void gatherRows(float[] x, int row, int[] rows, float[] out) {
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * row, out, i * row, row);
        }
    }

    static void scatterAddRows(float[] src, int row, int[] rows, float[] out) {
        for (int i = 0; i < rows.length; i++) {
            int o = rows[i] * row;
            int s = i * row;
            for (int j = 0; j < row; j++) {
                out[o + j] += src[s + j];
            }
        }
    }

    static void oneHot(int[] labels, int classes, float[] out) {
        for (int i = 0; i < labels.length; i++) {
            out[i * classes + labels[i]] = 1f;
        }
    }

    // ---------------------------------------------------------------- fused composites

    /**
     * {@code m + log(sum(exp(x - m)))} along {@code axis} in double precision, {@code m} the lane's
     * maximum clamped to the finite range as {@code Composites.logSumExp} clamps it.
     */
    static void logSumExp(float[] x, Shape shape, int axis, float[] out) {
        int outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= shape.dim(k);
        }
        int n = shape.dim(axis);
        int inner = outer * n == 0 ? 0 : x.length / outer / n;
        if (n == 0) {
            // an empty lane: log(0) + m with m = -inf clamped
            Arrays.fill(out, Float.NEGATIVE_INFINITY);
            return;
        }
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int p = o * n * inner + i;
                out[o * inner + i] = (float) laneLogSumExp(x, p, n, inner);
            }
        }
    }

    /** {@code exp(x - logSumExp(x))} along {@code axis}, the shift kept in double precision. */
    static void softmax(float[] x, Shape shape, int axis, float[] out) {
        int outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= shape.dim(k);
        }
        int n = shape.dim(axis);
        if (n == 0 || x.length == 0) {
            return;
        }
        int inner = x.length / outer / n;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int p = o * n * inner + i;
                double lse = laneLogSumExp(x, p, n, inner);
                for (int j = 0, q = p; j < n; j++, q += inner) {
                    out[q] = (float) Math.exp(x[q] - lse);
                }
            }
        }
    }

    private static double laneLogSumExp(float[] x, int p, int n, int stride) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0, q = p; j < n; j++, q += stride) {
            m = Math.max(m, x[q]);
        }
        // clamped so that a lane of -inf (or +inf) does not give inf - inf = NaN
        double shift = Math.max(Math.min(m, Float.MAX_VALUE), -Float.MAX_VALUE);
        double s = 0;
        for (int j = 0, q = p; j < n; j++, q += stride) {
            s += Math.exp(x[q] - shift);
        }
        return Math.log(s) + shift;
    }

    /** {@code max(|x|² - 2 x·cᵀ + |c|², 0)}: one product, then the norms folded in place. */
    static void squaredDistances(FMatrixRMaj x, FMatrixRMaj codes, FMatrixRMaj out, int threads) {
        int d = x.numCols;
        if (d == 0) {
            return;
        }
        matmul(x, false, codes, true, out, threads);
        float[] xx = rowSquares(x);
        float[] cc = rowSquares(codes);
        float[] r = out.data;
        int k = out.numCols;
        for (int i = 0, p = 0; i < out.numRows; i++) {
            for (int j = 0; j < k; j++, p++) {
                float xc = r[p];
                r[p] = Math.max(xx[i] - (xc + xc) + cc[j], 0f);
            }
        }
    }

    /** {@code out = relu(out + b)} with {@code b} added to every row, in place. */
    static void addBias(float[] out, float[] b) {
        int n = b.length;
        for (int p = 0; p < out.length; p += n) {
            for (int j = 0; j < n; j++) {
                out[p + j] = out[p + j] + b[j];
            }
        }
    }

    static void addBiasRelu(float[] out, float[] b) {
        int n = b.length;
        for (int p = 0; p < out.length; p += n) {
            for (int j = 0; j < n; j++) {
                out[p + j] = Math.max(out[p + j] + b[j], 0f);
            }
        }
    }

    /** {@code g · step(y)}: the multiplication keeps the definition's NaN for a non-finite g. */
    static void reluBackward(float[] g, float[] y, float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = g[i] * (y[i] > 0f ? 1f : 0f);
        }
    }

    /**
     * Elementwise loops with a transcendental function per element (15-20 ns in Java), and the
     * Adam step, split over EJML's threads from this many elements on; below it the fork-join
     * hand-off costs more than it saves.
     */
    static final int CONCURRENT_TRANSCENDENTAL_ELEMENTS = 1 << 14;

    /** A loop body over the index range {@code [from, to)}; returns a partial sum or 0. */
    @FunctionalInterface
    interface RangeBody {
        double run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in {@code threads} contiguous ranges on EJML's pool
     * (on this thread alone for small n) and adds up the partial results in range order, so the
     * result does not depend on how the threads were scheduled.
     */
    static double splitOverThreads(int n, int threads, RangeBody body) {
        int parts = n >= CONCURRENT_TRANSCENDENTAL_ELEMENTS ? Math.max(1, threads) : 1;
        if (parts == 1) {
            return body.run(0, n);
        }
        double[] partial = new double[parts];
        EjmlConcurrency.loopFor(0, parts, k -> partial[k] = body.run(
                (int) ((long) n * k / parts), (int) ((long) n * (k + 1) / parts)));
        double sum = 0;
        for (double p : partial) {
            sum += p;
        }
        return sum;
    }

    /**
     * {@code Σ max(l, 0) + log(1 + e^-|l|) − t·l} in double precision. {@code log(1 + e)} in
     * double (Java's {@code log} is fast, its {@code log1p} is not) errs by at most 1e-16 per
     * term, far below float precision of the sum.
     */
    static double bceWithLogitsSum(float[] logits, float[] target, int threads) {
        return splitOverThreads(logits.length, threads, (from, to) -> {
            double sum = 0;
            for (int i = from; i < to; i++) {
                double l = logits[i];
                sum += Math.max(l, 0.0) + Math.log(1.0 + Math.exp(-Math.abs(l))) - target[i] * l;
            }
            return sum;
        });
    }

    /** {@code (sigmoid(l) − t) · g}, the sigmoid stable and rounded to float as SIGMOID is. */
    static void bceWithLogitsBackward(float[] logits, float[] target, float g, float[] out,
            int threads) {
        splitOverThreads(out.length, threads, (from, to) -> {
            for (int i = from; i < to; i++) {
                double l = logits[i];
                double e = Math.exp(-Math.abs(l));
                float sigmoid = (float) (l >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
                out[i] = (sigmoid - target[i]) * g;
            }
            return 0;
        });
    }

    /** {@code −½ Σ (1 + lv − μ² − e^lv)} in double precision. */
    static double gaussianKl(float[] mu, float[] logVar) {
        double sum = 0;
        for (int i = 0; i < mu.length; i++) {
            double m = mu[i];
            double lv = logVar[i];
            sum += 1 + lv - m * m - Math.exp(lv);
        }
        return -0.5 * sum;
    }

    private static float[] rowSquares(FMatrixRMaj m) {
        float[] r = new float[m.numRows];
        float[] v = m.data;
        for (int i = 0, p = 0; i < m.numRows; i++) {
            double s = 0;
            for (int j = 0; j < m.numCols; j++, p++) {
                s += (double) v[p] * v[p];
            }
            r[i] = (float) s;
        }
        return r;
    }
}
