package org.vae4j.tensor;

/**
 * Elementwise functions of one tensor, each declared once with its definition ({@link #apply}).
 * Each backend maps them to its library's kernels in one switch; the gradient of each is declared
 * once, in {@code org.vae4j.autodiff.Op}.
 */
public enum UnaryOp {
    /** {@code -x} */
    NEG,
    /** {@code e^x} */
    EXP,
    /** natural logarithm; {@code -inf} at 0, NaN below */
    LOG,
    /** square root; NaN below 0 */
    SQRT,
    /** {@code |x|} */
    ABS,
    /** {@code x * x} */
    SQUARE,
    /** {@code 1 / x} */
    RECIPROCAL,
    /** hyperbolic tangent */
    TANH,
    /** {@code 1 / (1 + e^-x)}, stable for large |x| */
    SIGMOID,
    /** {@code max(x, 0)} */
    RELU,
    /** {@code log(1 + e^x)}, stable: {@code max(x, 0) + log1p(e^-|x|)} */
    SOFTPLUS,
    /** {@code log(sigmoid(x)) = -softplus(-x)}, stable */
    LOG_SIGMOID,
    /** {@code 1} where {@code x > 0}, else {@code 0} */
    STEP,
    /** {@code -1}, {@code 0} or {@code 1} */
    SIGN,
    /** the error function {@code (2/√π) ∫₀ˣ e^(−t²) dt}, for GELU */
    ERF;

    /**
     * What the op means: its exact function in double precision. The reference backend computes
     * it, the conformance kit holds every backend to it, and a backend may run it for an op it
     * has no kernel of its own for. The switch has no default, so a new op needs its definition
     * here before anything compiles.
     */
    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1.0 / x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case RELU -> Double.isNaN(x) ? x : Math.max(x, 0.0);
            case SOFTPLUS -> Double.isNaN(x) ? x : Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case LOG_SIGMOID -> Double.isNaN(x) ? x : Math.min(x, 0.0) - Math.log1p(Math.exp(-Math.abs(x)));
            case STEP -> x > 0 ? 1.0 : 0.0;
            case SIGN -> Double.isNaN(x) ? x : Math.signum(x);
            case ERF -> erf(x);
        };
    }

    /**
     * The error function to double precision: its Taylor series below |x| = 2.5 (terms shrink
     * from about e^(x²), so little is lost), above that {@code 1 − erfc(x)} with erfc's continued
     * fraction (Lentz's method), and ±1 from |x| = 6 on, where erfc is below 1e−17.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= 6) {
            return Math.copySign(1.0, x);
        }
        if (a < 2.5) {
            // erf x = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
            double term = x;
            double sum = x;
            double x2 = x * x;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return 2 / Math.sqrt(Math.PI) * sum;
        }
        // erfc a = e^(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + …)))))
        double tiny = 1e-300;
        double f = a;
        double c = a;
        double d = 0;
        for (int k = 1; k < 500; k++) {
            double ak = k / 2.0;
            d = a + ak * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = a + ak / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        double erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        return Math.copySign(1 - erfc, x);
    }
}
