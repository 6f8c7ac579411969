package org.vae4j.tensor;

/**
 * Elementwise functions of one tensor. Each backend switches over this enum in exactly one
 * place; the gradient of each is declared once, in {@code org.vae4j.autodiff.Gradients}.
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
    SIGN
}
