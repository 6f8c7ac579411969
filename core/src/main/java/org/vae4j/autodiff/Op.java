package org.vae4j.autodiff;

import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.UnaryOp;

/**
 * Every operation a {@link Variable} can record. Each has a backward rule in {@link Gradients}
 * or is listed there as non-differentiable (its result is a constant: no gradient flows).
 *
 * <p>The {@code of} methods map the backend's {@link UnaryOp}, {@link BinaryOp} and
 * {@link ReduceOp} with exhaustive switches, so a new or renamed op fails to compile rather than
 * at run time; the reductions are {@code SUM}, {@code MEAN} and {@code AMAX}.
 */
public enum Op {
    // unary
    NEG, EXP, LOG, SQRT, ABS, SQUARE, RECIPROCAL, TANH, SIGMOID, RELU, SOFTPLUS, LOG_SIGMOID,
    STEP, SIGN,
    // binary, with broadcasting
    ADD, SUB, MUL, DIV, MAX, MIN, GREATER, EQUAL,
    // reductions
    SUM, MEAN, AMAX, ARGMIN, ARGMAX,
    // matmul and movement
    MATMUL, RESHAPE, TRANSPOSE, SLICE, CONCAT, GATHER_ROWS, ONE_HOT,
    // movement over every axis at once: constant padding, strided slicing, broadcasting
    PAD, STRIDED_SLICE, BROADCAST_TO,
    // composites with their own rules
    LINEAR, LOG_SUM_EXP, SOFTMAX, SQUARED_DISTANCES,
    // fused composites: a layer with its activation, the VAE's two loss terms
    LINEAR_RELU, BCE_WITH_LOGITS_SUM, GAUSSIAN_KL;

    /** The op that records {@code op}. */
    public static Op of(UnaryOp op) {
        // exhaustive, without default: a new or renamed UnaryOp fails to compile here
        return switch (op) {
            case NEG -> NEG;
            case EXP -> EXP;
            case LOG -> LOG;
            case SQRT -> SQRT;
            case ABS -> ABS;
            case SQUARE -> SQUARE;
            case RECIPROCAL -> RECIPROCAL;
            case TANH -> TANH;
            case SIGMOID -> SIGMOID;
            case RELU -> RELU;
            case SOFTPLUS -> SOFTPLUS;
            case LOG_SIGMOID -> LOG_SIGMOID;
            case STEP -> STEP;
            case SIGN -> SIGN;
        };
    }

    /** The op that records {@code op}. */
    public static Op of(BinaryOp op) {
        return switch (op) {
            case ADD -> ADD;
            case SUB -> SUB;
            case MUL -> MUL;
            case DIV -> DIV;
            case MAX -> MAX;
            case MIN -> MIN;
            case GREATER -> GREATER;
            case EQUAL -> EQUAL;
        };
    }

    /** The op that records {@code op}. */
    public static Op of(ReduceOp op) {
        return switch (op) {
            case SUM -> SUM;
            case MEAN -> MEAN;
            case MAX -> AMAX;
        };
    }

    /** Whether a gradient flows through this op. */
    public boolean isDifferentiable() {
        return Gradients.hasRule(this);
    }
}
