package org.vae4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.*;

class ScratchVsReferenceTest {
    static final Backend ND = Backends.get("nd4j");
    static final Backend REF = new ReferenceBackend();
    static final Random R = new Random(42);

    static float[] rand(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (R.nextGaussian() * scale);
        return v;
    }

    static void close(float[] exp, float[] got, String what, double rtol, double atol) {
        assertEquals(exp.length, got.length, what);
        for (int i = 0; i < exp.length; i++) {
            if (Float.isNaN(exp[i])) { assertTrue(Float.isNaN(got[i]), what + " @" + i + " exp NaN got " + got[i]); continue; }
            if (Float.isInfinite(exp[i])) { assertEquals(exp[i], got[i], what + " @" + i); continue; }
            assertTrue(Math.abs(exp[i] - got[i]) <= atol + rtol * Math.abs(exp[i]), what + " @" + i + " exp " + exp[i] + " got " + got[i]);
        }
    }

    static Tensor nd(float[] v, int... d) { return ND.fromArray(v, d); }
    static Tensor rf(float[] v, int... d) { return REF.fromArray(v, d); }

    static final float[] EDGE = {-1e30f, -1000, -100, -89, -20, -1, -1e-7f, 0, -0f, 1e-7f, 1, 20, 89, 100, 1000, 1e30f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0.5f, 2, 3};

    @Test
    void unary() {
        for (UnaryOp op : UnaryOp.values()) {
            float[] v = EDGE;
            close(REF.unary(op, rf(v, v.length)).toArray(), ND.unary(op, nd(v, v.length)).toArray(), op.name(), 1e-6, 1e-30);
            float[] r = rand(60, 3);
            close(REF.unary(op, rf(r, 3, 4, 5)).toArray(), ND.unary(op, nd(r, 3, 4, 5)).toArray(), op.name(), 1e-6, 1e-7);
        }
        close(REF.unary(UnaryOp.EXP, REF.scalar(2)).toArray(), ND.unary(UnaryOp.EXP, ND.scalar(2)).toArray(), "scalar", 1e-6, 0);
    }

    @Test
    void binary() {
        int[][][] shapes = {{{2, 3}, {3}}, {{2, 3}, {2, 1}}, {{2, 1, 3}, {4, 1}}, {{}, {2, 3}}, {{4}, {}}, {{}, {}}, {{2, 3, 4, 5}, {3, 1, 5}}, {{1}, {3, 1}}};
        for (BinaryOp op : BinaryOp.values()) {
            for (int[][] s : shapes) {
                int na = Shape.of(s[0]).size(), nb = Shape.of(s[1]).size();
                float[] a = rand(na, 2), b = rand(nb, 2);
                if (op == BinaryOp.EQUAL || op == BinaryOp.GREATER) { for (int i = 0; i < na; i++) a[i] = Math.round(a[i]); for (int i = 0; i < nb; i++) b[i] = Math.round(b[i]); }
                close(REF.binary(op, rf(a, s[0]), rf(b, s[1])).toArray(), ND.binary(op, nd(a, s[0]), nd(b, s[1])).toArray(), op + " " + Shape.of(s[0]) + Shape.of(s[1]), 1e-6, 1e-7);
            }
            float[] a = EDGE.clone();
            float[] b = new float[a.length];
            for (int i = 0; i < b.length; i++) b[i] = EDGE[(i * 7 + 3) % EDGE.length];
            close(REF.binary(op, rf(a, a.length), rf(b, b.length)).toArray(), ND.binary(op, nd(a, a.length), nd(b, b.length)).toArray(), op + " edge", 1e-6, 1e-30);
            close(REF.binary(op, rf(b, b.length), rf(a, a.length)).toArray(), ND.binary(op, nd(b, b.length), nd(a, a.length)).toArray(), op + " edge rev", 1e-6, 1e-30);
        }
    }

    @Test
    void reductions() {
        float[] v = rand(120, 2);
        int[][] axesList = {{}, {0}, {1}, {2}, {3}, {0, 2}, {1, 3}, {0, 1, 2, 3}, {-1}};
        for (ReduceOp op : ReduceOp.values()) {
            for (int[] axes : axesList) {
                for (boolean keep : new boolean[] {false, true}) {
                    Tensor e = REF.reduce(op, rf(v, 2, 3, 4, 5), keep, axes);
                    Tensor g = ND.reduce(op, nd(v, 2, 3, 4, 5), keep, axes);
                    assertEquals(e.shape(), g.shape());
                    close(e.toArray(), g.toArray(), op + " " + java.util.Arrays.toString(axes), 1e-5, 1e-6);
                }
            }
            float[] n = {1, Float.NaN, 3, 4, 5, 6};
            close(REF.reduce(op, rf(n, 2, 3), false, 1).toArray(), ND.reduce(op, nd(n, 2, 3), false, 1).toArray(), op + " nan", 1e-6, 0);
            close(REF.reduce(op, rf(n, 2, 3), false, 0).toArray(), ND.reduce(op, nd(n, 2, 3), false, 0).toArray(), op + " nan0", 1e-6, 0);
            float[] inf = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 3, 4};
            close(REF.reduce(op, rf(inf, 2, 2), false, 1).toArray(), ND.reduce(op, nd(inf, 2, 2), false, 1).toArray(), op + " inf", 1e-6, 0);
            close(REF.reduce(op, REF.scalar(3), false).toArray(), ND.reduce(op, ND.scalar(3), false).toArray(), op + " scalar", 1e-6, 0);
            float[] one = {5};
            close(REF.reduce(op, rf(one, 1), false, 0).toArray(), ND.reduce(op, nd(one, 1), false, 0).toArray(), op + " one", 1e-6, 0);
        }
    }

    @Test
    void argReductions() {
        float[][] cases = {{3, 1, 3, 1, 3, 1}, {Float.NaN, 1, 2, 1, Float.NaN, 2}, {0, 0, 0, -0f, 0, 0}, rand(6, 1)};
        for (ArgOp op : ArgOp.values()) {
            for (float[] c : cases) {
                for (int axis : new int[] {0, 1, -1}) {
                    Tensor e = REF.argReduce(op, rf(c, 2, 3), axis);
                    Tensor g = ND.argReduce(op, nd(c, 2, 3), axis);
                    assertEquals(e.shape(), g.shape());
                    close(e.toArray(), g.toArray(), op + " " + java.util.Arrays.toString(c) + " axis " + axis, 0, 0);
                }
                Tensor e = REF.argReduce(op, rf(c, 6), 0);
                Tensor g = ND.argReduce(op, nd(c, 6), 0);
                assertEquals(e.shape(), g.shape());
                close(e.toArray(), g.toArray(), op + " rank1", 0, 0);
            }
            float[] v = rand(120, 1);
            for (int axis = 0; axis < 4; axis++) {
                close(REF.argReduce(op, rf(v, 2, 3, 4, 5), axis).toArray(), ND.argReduce(op, nd(v, 2, 3, 4, 5), axis).toArray(), op + " 4d " + axis, 0, 0);
            }
        }
    }

    @Test
    void matmulAndLinear() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = rand(35, 1), b = rand(56, 1);
                int[] sa = ta ? new int[] {7, 5} : new int[] {5, 7};
                int[] sb = tb ? new int[] {8, 7} : new int[] {7, 8};
                close(REF.matmul(rf(a, sa), ta, rf(b, sb), tb).toArray(), ND.matmul(nd(a, sa), ta, nd(b, sb), tb).toArray(), "mm " + ta + tb, 1e-5, 1e-5);
            }
        }
        float[] x = rand(12, 1), w = rand(20, 1), bias = rand(5, 1);
        close(REF.linear(rf(x, 3, 4), rf(w, 4, 5), rf(bias, 5)).toArray(), ND.linear(nd(x, 3, 4), nd(w, 4, 5), nd(bias, 5)).toArray(), "linear", 1e-5, 1e-5);
        float[] o = {1};
        close(REF.matmul(rf(o, 1, 1), rf(o, 1, 1)).toArray(), ND.matmul(nd(o, 1, 1), nd(o, 1, 1)).toArray(), "1x1", 0, 0);
    }

    @Test
    void movement() {
        float[] v = rand(120, 1);
        close(v, ND.reshape(nd(v, 2, 3, 4, 5), Shape.of(6, 20)).toArray(), "reshape", 0, 0);
        assertEquals(Shape.of(6, 20), ND.reshape(nd(v, 2, 3, 4, 5), Shape.of(6, 20)).shape());
        close(new float[] {7}, ND.reshape(nd(new float[] {7}, 1, 1), Shape.scalar()).toArray(), "reshape scalar", 0, 0);
        int[][] perms = {{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 0, 3, 2}, {2, 0, 3, 1}};
        for (int[] p : perms) {
            Tensor e = REF.transpose(rf(v, 2, 3, 4, 5), p), g = ND.transpose(nd(v, 2, 3, 4, 5), p);
            assertEquals(e.shape(), g.shape());
            close(e.toArray(), g.toArray(), "perm", 0, 0);
        }
        close(REF.transpose(rf(v, 12, 10)).toArray(), ND.transpose(nd(v, 12, 10)).toArray(), "t2", 0, 0);
        for (int axis = 0; axis < 4; axis++) {
            Tensor e = REF.slice(rf(v, 2, 3, 4, 5), axis, 1, 2), g = ND.slice(nd(v, 2, 3, 4, 5), axis, 1, 2);
            assertEquals(e.shape(), g.shape());
            close(e.toArray(), g.toArray(), "slice " + axis, 0, 0);
        }
        close(REF.slice(rf(v, 120), 0, 5, 17).toArray(), ND.slice(nd(v, 120), 0, 5, 17).toArray(), "slice1", 0, 0);
        for (int axis = 0; axis < 3; axis++) {
            int[] s1 = {2, 3, 4}, s2 = {2, 3, 4};
            s2[axis] = 1;
            float[] a = rand(24, 1), b = rand(Shape.of(s2).size(), 1);
            Tensor e = REF.concat(axis, rf(a, s1), rf(b, s2), rf(a, s1)), g = ND.concat(axis, nd(a, s1), nd(b, s2), nd(a, s1));
            assertEquals(e.shape(), g.shape());
            close(e.toArray(), g.toArray(), "concat " + axis, 0, 0);
        }
        close(REF.concat(0, rf(v, 120), rf(v, 120)).toArray(), ND.concat(0, nd(v, 120), nd(v, 120)).toArray(), "concat1", 0, 0);
        int[] rows = {3, 0, 3, 1};
        close(REF.gatherRows(rf(v, 4, 30), rows).toArray(), ND.gatherRows(nd(v, 4, 30), rows).toArray(), "gather2", 0, 0);
        close(REF.gatherRows(rf(v, 4, 3, 10), rows).toArray(), ND.gatherRows(nd(v, 4, 3, 10), rows).toArray(), "gather3", 0, 0);
        close(REF.gatherRows(rf(v, 120), rows).toArray(), ND.gatherRows(nd(v, 120), rows).toArray(), "gather1", 0, 0);
        float[] src = rand(40, 1);
        close(REF.scatterAddRows(rf(src, 4, 10), rows, 6).toArray(), ND.scatterAddRows(nd(src, 4, 10), rows, 6).toArray(), "scatter2", 1e-6, 1e-6);
        close(REF.scatterAddRows(rf(src, 4, 2, 5), rows, 5).toArray(), ND.scatterAddRows(nd(src, 4, 2, 5), rows, 5).toArray(), "scatter3", 1e-6, 1e-6);
        close(REF.scatterAddRows(rf(new float[] {1, 2, 3, 4}, 4), rows, 5).toArray(), ND.scatterAddRows(nd(new float[] {1, 2, 3, 4}, 4), rows, 5).toArray(), "scatter1", 1e-6, 1e-6);
        close(REF.oneHot(new int[] {2, 0, 4}, 5).toArray(), ND.oneHot(new int[] {2, 0, 4}, 5).toArray(), "onehot", 0, 0);
    }

    @Test
    void transferAndFull() {
        assertEquals(0, ND.zeros(Shape.of(0, 3)).toArray().length);
        assertEquals(Shape.of(0, 3), ND.full(Shape.of(0, 3), 2f).shape());
        close(new float[] {2, 2, 2}, ND.full(Shape.of(3), 2f).toArray(), "full", 0, 0);
        assertEquals(4f, ND.scalar(4f).item());
        try (TensorScope s = ND.newScope()) {
            float[] v = rand(50, 1);
            close(v, nd(v, 5, 10).toArray(), "ws upload", 0, 0);
        }
    }

    @Test
    void composites() {
        float[] v = rand(60, 3);
        v[5] = Float.NEGATIVE_INFINITY;
        for (int axis = 0; axis < 3; axis++) {
            close(REF.logSumExp(rf(v, 3, 4, 5), axis, false).toArray(), ND.logSumExp(nd(v, 3, 4, 5), axis, false).toArray(), "lse", 1e-5, 1e-5);
            close(REF.softmax(rf(v, 3, 4, 5), axis).toArray(), ND.softmax(nd(v, 3, 4, 5), axis).toArray(), "softmax", 1e-5, 1e-6);
        }
        float[] x = rand(12, 1), c = rand(20, 1);
        close(REF.squaredDistances(rf(x, 3, 4), rf(c, 5, 4)).toArray(), ND.squaredDistances(nd(x, 3, 4), nd(c, 5, 4)).toArray(), "sqd", 1e-5, 1e-5);
    }

    @Test
    void keptTensorsSurviveTheirScope() {
        long live = ND.liveTensors();
        Tensor kept;
        Tensor untracked;
        try (TensorScope outer = ND.newScope()) {
            Tensor inner;
            try (TensorScope s = ND.newScope()) {
                Tensor a = nd(new float[] {1, 2, 3}, 3);
                inner = s.keep(ND.add(a, a));
                untracked = TensorScope.untrack(ND.mul(a, a));
                for (int i = 0; i < 100; i++) ND.add(a, a);
            }
            close(new float[] {2, 4, 6}, inner.toArray(), "kept to parent", 0, 0);
            kept = outer.keep(ND.add(inner, inner));
        }
        close(new float[] {4, 8, 12}, kept.toArray(), "kept out", 0, 0);
        close(new float[] {1, 4, 9}, untracked.toArray(), "untracked", 0, 0);
        try (TensorScope s = ND.newScope()) {
            for (int i = 0; i < 100; i++) ND.full(Shape.of(3), 5f);
            close(new float[] {4, 8, 12}, kept.toArray(), "kept out after reuse", 0, 0);
        }
        kept.close();
        untracked.close();
        assertEquals(live, ND.liveTensors());
    }
}
