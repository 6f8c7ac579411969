package org.vae4j.tensor;

/**
 * Elementwise functions of two tensors with NumPy broadcasting. Comparisons give masks of
 * {@code 1} and {@code 0}.
 */
public enum BinaryOp {
    ADD,
    SUB,
    MUL,
    DIV,
    /** elementwise maximum; if either is NaN the result is NaN */
    MAX,
    /** elementwise minimum; if either is NaN the result is NaN */
    MIN,
    /** {@code 1} where {@code a > b}, else {@code 0} */
    GREATER,
    /** {@code 1} where {@code a == b}, else {@code 0} */
    EQUAL;

    /**
     * What the op means: its exact function in double precision, as for
     * {@link UnaryOp#apply}.
     */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GREATER -> a > b ? 1.0 : 0.0;
            case EQUAL -> a == b ? 1.0 : 0.0;
        };
    }
}
