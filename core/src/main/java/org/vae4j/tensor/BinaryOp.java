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
    EQUAL
}
