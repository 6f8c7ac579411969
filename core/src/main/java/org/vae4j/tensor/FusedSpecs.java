package org.vae4j.tensor;

/**
 * The shape rules of the composite ops (those an optional kernel family may fuse): each checks
 * the argument shapes, with one message naming every shape and what was expected, and returns the
 * output shape, which the front door then checks the kernel or the definition returned.
 */
final class FusedSpecs {

    private FusedSpecs() {
    }

    /** The shape {@code (n x out)} of {@code x·w + b} (also {@code relu(x·w + b)}). */
    static Shape linear(String op, Shape x, Shape w, Shape b) {
        if (x.rank() != 2 || w.rank() != 2 || b.rank() != 1
                || x.dim(1) != w.dim(0) || b.dim(0) != w.dim(1)) {
            throw new ShapeException(op + ": x " + x + ", weight " + w + ", bias " + b
                    + " do not fit; expected x (n x in), weight (in x out), bias (out)");
        }
        return Shape.of(x.dim(0), w.dim(1));
    }

    /** The shape of {@code logSumExp} of {@code x} along the normalised {@code axis}. */
    static Shape logSumExp(Shape x, int axis, boolean keepDims) {
        return CoreSpecs.reduced(x, new int[] {axis}, keepDims);
    }

    /** The shape {@code (n x k)} of the distances between x {@code (n x d)} and codes {@code (k x d)}. */
    static Shape squaredDistances(Shape x, Shape codes) {
        if (x.rank() != 2 || codes.rank() != 2 || x.dim(1) != codes.dim(1)) {
            throw new ShapeException("squaredDistances: x " + x + " and codes " + codes
                    + " do not fit; expected x (n x d) and codes (k x d)");
        }
        return Shape.of(x.dim(0), codes.dim(0));
    }

    /** {@code a}'s shape, after checking {@code b} has the same. */
    static Shape sameShapes(String op, String whatA, Shape a, String whatB, Shape b) {
        if (!a.equals(b)) {
            throw new ShapeException(op + ": " + whatA + " " + a + " and " + whatB + " " + b
                    + " differ; expected the same shape");
        }
        return a;
    }

    /** The shape of the logits' gradient, after checking the upstream gradient is a scalar. */
    static Shape bceWithLogitsBackward(Shape logits, Shape target, Shape g) {
        sameShapes(OpNames.BCE_WITH_LOGITS_BACKWARD, "logits", logits, "target", target);
        if (g.rank() != 0) {
            throw new ShapeException("bceWithLogitsBackward: the gradient of the sum must be a"
                    + " scalar, got " + g);
        }
        return logits;
    }

    /** The shape of the parameter, after checking the gradient and both moments share it. */
    static Shape adamUpdate(Shape param, Shape grad, Shape m, Shape v) {
        sameShapes(OpNames.ADAM_UPDATE, "parameter", param, "gradient", grad);
        sameShapes(OpNames.ADAM_UPDATE, "parameter", param, "first moment", m);
        sameShapes(OpNames.ADAM_UPDATE, "parameter", param, "second moment", v);
        return param;
    }
}
