package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/**
 * The shared base of the conformance kit: the oracle, seeded inputs, the tolerances and the
 * comparisons, and a leak check around every test.
 *
 * <p>A check builds its inputs from plain arrays inside a function {@code Backend -> Tensor}, so
 * the same computation runs on the backend under test and on the {@link ReferenceBackend}; the
 * two results must have the same shape and agree within the stated tolerance. Every backend is
 * held to the same tolerances.
 */
public abstract class BackendChecks {

    /**
     * Relative tolerance of one elementwise op: float32 transcendentals in native libraries differ
     * from the correctly rounded value in the last few ulps (1 ulp = 6e-8 relative).
     */
    public static final double ELEMENTWISE_RTOL = 1e-5;

    /**
     * Absolute tolerance of one elementwise op: results near 0 (tanh, log near 1, sigmoid tails,
     * subnormals flushed to zero) have no useful relative error.
     */
    public static final double ELEMENTWISE_ATOL = 1e-6;

    /**
     * Error allowed per unit of {@code sqrt(n)} and of the sum of absolute values of the n terms of
     * a sum (reductions, matmul, scatter-add): float32 accumulation in any order errs by about
     * {@code sqrt(n)·eps·sum|x|} with eps = 1.2e-7; this allows 8 times that.
     */
    public static final double ACCUMULATION_EPS = 1e-6;

    /**
     * Ulps of the largest input magnitude allowed as relative error of softmax: it is
     * {@code exp(x - lse)}, and one rounding of the shift {@code lse} (ulp 1e-3 at 1e4) becomes a
     * relative error of that size in every output.
     */
    public static final double SHIFT_ULPS = 2;

    /** The seed of every input; a test that fails fails the same way each run. */
    public static final long SEED = 20240611L;

    /** The oracle. Its own instance, so that its tensors never belong to the backend under test. */
    protected static final ReferenceBackend REFERENCE = new ReferenceBackend();

    /** The generator for this test's inputs, freshly seeded for each test. */
    protected final Rng rng = new Rng(SEED);

    private long liveAtStart;
    private long referenceLiveAtStart;

    /** The backend under test. */
    protected abstract Backend backend();

    @BeforeEach
    void recordLiveTensors() {
        liveAtStart = backend().liveTensors();
        referenceLiveAtStart = REFERENCE.liveTensors();
    }

    @AfterEach
    void assertNoTensorLeaked() {
        assertEquals(liveAtStart, backend().liveTensors(), backend().name()
                + " backend: live tensors before and after the test differ; a kernel or the test"
                + " leaked (or closed) tensors it did not own");
        assertEquals(referenceLiveAtStart, REFERENCE.liveTensors(),
                "reference backend: live tensors before and after the test differ");
    }

    // ------------------------------------------------------------------ inputs

    /** Standard normal values times {@code scale}. */
    protected float[] normal(Shape shape, double scale) {
        return rng.normal(shape.size(), 0, scale);
    }

    /** Small whole numbers in {@code [low, high]}: many ties, exact sums, zeros to divide by. */
    protected float[] integers(Shape shape, int low, int high) {
        float[] r = new float[shape.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = low + rng.nextInt(high - low + 1);
        }
        return r;
    }

    /** Values of every magnitude from 1e-30 to 1e30, both signs, plus 0 and 1. */
    protected static float[] extremeValues() {
        return new float[] {0f, 1f, -1f, 0.5f, -0.5f, 1e-30f, -1e-30f, 1e-6f, -1e-6f, 3f, -3f,
            15f, -15f, 20f, -20f, 30f, -30f, 50f, -50f, 80f, -80f, 100f, -100f, 1e4f, -1e4f,
            1e10f, -1e10f, 1e30f, -1e30f, Float.MIN_NORMAL, 2f, 7.5f};
    }

    // ------------------------------------------------------------------ running

    /** A computed result: its shape and its values. */
    protected record Result(Shape shape, float[] values) {
    }

    /**
     * Runs {@code f} on {@code be} inside a scope of that backend, so every tensor it makes is
     * closed, and returns the result's shape and values.
     */
    protected static Result run(Backend be, Function<Backend, Tensor> f) {
        try (TensorScope scope = be.newScope()) {
            Tensor t = f.apply(be);
            return new Result(t.shape(), t.toArray());
        }
    }

    /** The result on the backend under test. */
    protected Result actual(Function<Backend, Tensor> f) {
        return run(backend(), f);
    }

    /** The result on the oracle. */
    protected static Result expected(Function<Backend, Tensor> f) {
        return run(REFERENCE, f);
    }

    /** The same computation on both backends must agree bit for bit (movement, masks, indices). */
    protected void checkExact(String op, Function<Backend, Tensor> f) {
        Result e = expected(f);
        Result a = actual(f);
        assertSameShape(op, e.shape(), a.shape());
        assertClose(op, e.shape(), e.values(), a.values(), new double[e.values().length]);
    }

    /** The same computation must agree within the elementwise tolerance. */
    protected void checkElementwise(String op, Function<Backend, Tensor> f) {
        Result e = expected(f);
        Result a = actual(f);
        assertSameShape(op, e.shape(), a.shape());
        assertClose(op, e.shape(), e.values(), a.values(), elementwiseTolerance(e.values()));
    }

    /**
     * The same computation must agree within the accumulation tolerance; {@code absF} computes,
     * on the reference, the same sums over the absolute values of the terms, and {@code n} is
     * how many terms each output sums.
     */
    protected void checkAccumulated(String op, Function<Backend, Tensor> f,
            Function<Backend, Tensor> absF, int n) {
        Result e = expected(f);
        Result a = actual(f);
        assertSameShape(op, e.shape(), a.shape());
        float[] scale = expected(absF).values();
        assertClose(op, e.shape(), e.values(), a.values(),
                accumulatedTolerance(e.values(), scale, n));
    }

    // ------------------------------------------------------------------ tolerances

    /** {@code ELEMENTWISE_ATOL + ELEMENTWISE_RTOL * |expected|} for each element. */
    protected static double[] elementwiseTolerance(float[] expected) {
        double[] tol = new double[expected.length];
        for (int i = 0; i < tol.length; i++) {
            tol[i] = ELEMENTWISE_ATOL + ELEMENTWISE_RTOL * magnitude(expected[i]);
        }
        return tol;
    }

    /** The elementwise tolerance plus {@code ACCUMULATION_EPS * sqrt(n) * absSum}. */
    protected static double[] accumulatedTolerance(float[] expected, float[] absSum, int n) {
        double[] tol = elementwiseTolerance(expected);
        double perTerm = ACCUMULATION_EPS * Math.sqrt(Math.max(n, 1));
        for (int i = 0; i < tol.length; i++) {
            tol[i] += perTerm * magnitude(absSum[i]);
        }
        return tol;
    }

    /** The elementwise tolerance with {@code extraRtol} added to its relative part. */
    protected static double[] relativeTolerance(float[] expected, double extraRtol) {
        double[] tol = elementwiseTolerance(expected);
        for (int i = 0; i < tol.length; i++) {
            tol[i] += extraRtol * magnitude(expected[i]);
        }
        return tol;
    }

    /** {@code |v|}, or 0 for NaN and infinities, which must match exactly anyway. */
    private static double magnitude(float v) {
        return Float.isFinite(v) ? Math.abs(v) : 0;
    }

    // ------------------------------------------------------------------ assertions

    protected static void assertSameShape(String op, Shape expected, Shape actual) {
        if (!expected.equals(actual)) {
            fail(op + ": result shape " + actual + ", expected " + expected);
        }
    }

    /**
     * Every element within its tolerance; NaN must meet NaN and an infinity the same infinity.
     * The message names the op, the shape, the first bad index, both values and the tolerance.
     */
    protected static void assertClose(String op, Shape shape, float[] expected, float[] actual,
            double[] tolerance) {
        assertEquals(expected.length, actual.length, op + ": result of shape " + shape
                + " has " + actual.length + " values, expected " + expected.length);
        int bad = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (!close(expected[i], actual[i], tolerance[i])) {
                if (first < 0) {
                    first = i;
                }
                bad++;
            }
        }
        if (first >= 0) {
            fail(op + " on shape " + shape + ": at index " + index(shape, first) + " expected "
                    + expected[first] + " but was " + actual[first] + " (tolerance "
                    + tolerance[first] + "); " + bad + " of " + expected.length
                    + " elements are off");
        }
    }

    private static boolean close(float e, float a, double tol) {
        if (Float.isNaN(e) || Float.isNaN(a)) {
            return Float.isNaN(e) && Float.isNaN(a);
        }
        if (Float.isInfinite(e) || Float.isInfinite(a)) {
            return e == a;
        }
        return Math.abs((double) e - a) <= tol;
    }

    /** The multi-index of flat position {@code flat}, e.g. {@code [1, 0, 3]}. */
    protected static String index(Shape shape, int flat) {
        if (shape.rank() == 0) {
            return "[]";
        }
        int[] strides = shape.strides();
        StringBuilder sb = new StringBuilder("[");
        int rest = flat;
        for (int k = 0; k < strides.length; k++) {
            int stride = Math.max(strides[k], 1);
            if (k > 0) {
                sb.append(", ");
            }
            sb.append(rest / stride);
            rest %= stride;
        }
        return sb.append(']').toString();
    }

    /** Asserts {@code message} contains every one of {@code parts}. */
    protected static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message != null && message.contains(p),
                    "error message should mention '" + p + "' but was: " + message);
        }
    }

    /** {@code |x|} as a tensor, for building the absolute-value sums of a tolerance. */
    protected static Tensor abs(Backend be, Tensor x) {
        return be.unary(UnaryOp.ABS, x);
    }
}
