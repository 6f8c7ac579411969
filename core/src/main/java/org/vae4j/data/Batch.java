package org.vae4j.data;

import java.util.Arrays;
import java.util.Objects;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * What a model's loss receives: the inputs {@code x} as a {@code (batch x example shape)} tensor
 * on the model's backend ({@code (batch x features)} for flat rows, {@code (batch x C x H x W)}
 * for images), and the examples' labels ({@code null} for an unlabelled set). Models make
 * one-hot codes themselves with {@code backend.oneHot(labels, classes)}.
 *
 * <p>The tensor belongs to the {@link org.vae4j.tensor.TensorScope} that was open when the batch
 * was made (the trainer opens one per step); a batch never closes it.
 */
public record Batch(Tensor x, int[] labels) {

    public Batch {
        Objects.requireNonNull(x, "x");
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException("batch: x must be (batch x example shape), of rank"
                    + " 2 or more, got shape " + x.shape());
        }
        if (labels != null && labels.length != x.shape().dim(0)) {
            throw new IllegalArgumentException("batch: " + labels.length + " labels for "
                    + x.shape().dim(0) + " rows of x " + x.shape() + "; expected one per row");
        }
    }

    /** An unlabelled batch. */
    public Batch(Tensor x) {
        this(x, null);
    }

    /** The number of examples. */
    public int size() {
        return x.shape().dim(0);
    }

    /** The shape of one example: {@code x}'s shape without the batch axis. */
    public Shape exampleShape() {
        int[] dims = x.shape().dims();
        return Shape.of(Arrays.copyOfRange(dims, 1, dims.length));
    }

    public boolean hasLabels() {
        return labels != null;
    }
}
