package org.vae4j.autodiff;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackwardKernels;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * What a backward rule sees: the gradient {@code g} with respect to the output {@code y}, the
 * inputs' values and shapes, and small helpers written with backend primitives. Only the
 * engine makes one, per recorded node and backward pass.
 */
public final class RuleContext {

    final Backend be;
    final Tensor g;
    final Tensor y;
    private final Variable node;
    private Tensor shared;

    RuleContext(Variable node, Tensor g) {
        this.node = node;
        this.be = node.backend();
        this.g = g;
        this.y = node.value();
    }

    /** Input {@code i}'s forward value. */
    Tensor x(int i) {
        return node.parent(i).value();
    }

    Shape shape(int i) {
        return node.parent(i).shape();
    }

    /** What {@link Op#shared} computed for this node; set before any input's rule runs. */
    Tensor shared() {
        return shared;
    }

    void prepareShared(Op op) {
        shared = op.shared(this);
    }

    Tensor scalar(float v) {
        return be.scalar(v);
    }

    Tensor un(UnaryOp op, Tensor a) {
        return be.unary(op, a);
    }

    Tensor bin(BinaryOp op, Tensor a, Tensor b) {
        return be.binary(op, a, b);
    }

    Tensor neg(Tensor a) {
        return be.unary(UnaryOp.NEG, a);
    }

    Tensor add(Tensor a, Tensor b) {
        return be.add(a, b);
    }

    Tensor sub(Tensor a, Tensor b) {
        return be.sub(a, b);
    }

    Tensor mul(Tensor a, Tensor b) {
        return be.mul(a, b);
    }

    Tensor div(Tensor a, Tensor b) {
        return be.div(a, b);
    }

    /** {@code g · step(y)}: relu's gradient, fused where the backend has the kernel. */
    Tensor reluBackward(Tensor g, Tensor y) {
        return BackwardKernels.reluBackward(be, g, y);
    }

    /** {@code (sigmoid(l) − t) · g}: the gradient of the summed BCE with respect to the logits. */
    Tensor bceWithLogitsBackward(Tensor logits, Tensor target, Tensor g) {
        return BackwardKernels.bceWithLogitsBackward(be, logits, target, g);
    }

    // convolution: the backend's kernels where it has them, else the composites

    Tensor conv2d(Tensor x, Tensor w, ConvSpec spec) {
        return Convolutions.conv2d(be, x, w, spec);
    }

    Tensor conv2dBackwardInput(Tensor g, Tensor w, ConvSpec spec, Shape xShape) {
        return Convolutions.conv2dBackwardInput(be, g, w, spec, xShape);
    }

    Tensor conv2dBackwardFilter(Tensor x, Tensor g, ConvSpec spec, Shape wShape) {
        return Convolutions.conv2dBackwardFilter(be, x, g, spec, wShape);
    }

    Tensor maxPool2dBackward(Tensor x, Tensor g, PoolSpec spec) {
        return Convolutions.maxPool2dBackward(be, x, g, spec);
    }

    Tensor avgPool2dBackward(Tensor g, PoolSpec spec, Shape xShape) {
        return Convolutions.avgPool2dBackward(be, g, spec, xShape);
    }

    /** A reduction's output over the sorted {@code axes} reshaped as if keepDims were set. */
    Tensor keptDims(Tensor t, int[] axes) {
        return be.reshape(t, Backend.reducedShape(shape(0), axes, true));
    }

    /** {@code t} broadcast to input 0's shape. */
    Tensor spread(Tensor t) {
        return be.add(be.zeros(shape(0)), t);
    }

    /** How many elements each output of a reduction summarises. */
    float reducedCount() {
        return (float) shape(0).size() / Math.max(1, y.size());
    }

    /** 1 where {@code winner > loser}, 1/2 on ties, else 0: where the winner was chosen. */
    Tensor chosen(Tensor winner, Tensor loser) {
        Tensor tie = be.mul(bin(BinaryOp.EQUAL, winner, loser), scalar(0.5f));
        return be.add(bin(BinaryOp.GREATER, winner, loser), tie);
    }

    @Override
    public String toString() {
        return "the backward rule's context of " + node;
    }
}
