package org.vae4j.consistency;

import java.util.Arrays;
import org.vae4j.tensor.Shape;

/**
 * The largest disagreement between a backend's tensor and the reference's: where it is, both
 * values, and its size relative to the reference tensor's largest magnitude (the norm every
 * tensor comparison here uses: an error is judged against the scale of the tensor it is in, so
 * near-zero elements of a large gradient do not dominate).
 */
record Difference(double relative, double absolute, int index, Shape shape, double expected,
        double actual) {

    /** No difference at all (both tensors empty or identical). */
    static final Difference NONE = new Difference(0, 0, -1, Shape.of(0), 0, 0);

    /** The largest element-wise difference of {@code actual} from {@code expected}. */
    static Difference of(float[] expected, float[] actual, Shape shape) {
        if (expected.length != actual.length) {
            throw new AssertionError("tensor of shape " + shape + " has " + actual.length
                    + " values, the reference has " + expected.length);
        }
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        int worst = -1;
        double worstAbs = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (Double.isNaN(d)) {
                d = Double.POSITIVE_INFINITY;
            }
            if (d > worstAbs || (worst < 0 && d == 0)) {
                worst = i;
                worstAbs = d;
            }
        }
        if (worst < 0 || worstAbs == 0) {
            return new Difference(0, 0, worst, shape, worst < 0 ? 0 : expected[worst],
                    worst < 0 ? 0 : actual[worst]);
        }
        double relative = scale == 0 ? Double.POSITIVE_INFINITY : worstAbs / scale;
        return new Difference(relative, worstAbs, worst, shape, expected[worst], actual[worst]);
    }

    /** The difference of two scalars relative to {@code max(1, |expected|)} (nats and such). */
    static Difference ofScalar(double expected, double actual) {
        double d = Math.abs(actual - expected);
        if (Double.isNaN(d)) {
            d = Double.POSITIVE_INFINITY;
        }
        return new Difference(d / Math.max(1, Math.abs(expected)), d, 0, Shape.of(),
                expected, actual);
    }

    /**
     * How far {@code actual} ended from {@code expected} compared with how far {@code expected}
     * moved from {@code initial}: {@code ‖actual − expected‖₂ / ‖expected − initial‖₂}. For
     * parameters after optimizer steps: an error spread over the whole tensor (a drifting
     * kernel) shows undiluted, while the few elements that Adam moves by ±lr on a gradient at
     * rounding-noise level count only by their share of the tensor.
     */
    static double relativeToDisplacement(float[] initial, float[] expected, float[] actual) {
        double err = 0;
        double moved = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = (double) actual[i] - expected[i];
            double m = (double) expected[i] - initial[i];
            err += e * e;
            moved += m * m;
        }
        if (Double.isNaN(err)) {
            return Double.POSITIVE_INFINITY;
        }
        if (err == 0) {
            return 0;
        }
        return moved == 0 ? Double.POSITIVE_INFINITY : Math.sqrt(err / moved);
    }

    /** The larger of two differences. */
    Difference max(Difference other) {
        return other.relative > relative ? other : this;
    }

    /** The position of the worst element as row-major coordinates, e.g. {@code [17, 402]}. */
    String where() {
        if (index < 0 || shape.rank() == 0) {
            return "";
        }
        int[] dims = shape.dims();
        int[] at = new int[dims.length];
        int rest = index;
        for (int k = dims.length - 1; k >= 0; k--) {
            at[k] = rest % dims[k];
            rest /= dims[k];
        }
        return " at " + Arrays.toString(at);
    }

    /** "by 3.1e-03 at [17, 402] (reference 0.25, got 0.2531)". */
    String describe() {
        return describe("reference");
    }

    /** As {@link #describe()}, naming the expected value's source, e.g. {@code nd4j}. */
    String describe(String expectedFrom) {
        return String.format("by %.2e%s (%s %.7g, got %.7g)", relative, where(), expectedFrom,
                expected, actual);
    }
}
