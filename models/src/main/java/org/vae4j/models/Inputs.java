package org.vae4j.models;

import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.tensor.Tensor;

/** The checks a model makes of what it is given; each error names the setting involved. */
final class Inputs {

    private Inputs() {
    }

    /** Throws unless {@code batch} has rows of {@code width} values. */
    static void checkWidth(String model, Batch batch, int width) {
        checkWidth(model, batch.x(), width);
    }

    static void checkWidth(String model, Tensor x, int width) {
        if (x.shape().rank() != 2 || x.shape().dim(1) != width) {
            throw new IllegalArgumentException(model + " expects inputs of width " + width
                    + " (setting 'input'), got batch " + x.shape());
        }
    }

    /** Throws unless there is one label per row, each in {@code 0..classes-1}. */
    static void checkLabels(String model, int[] labels, int rows, int classes) {
        if (labels == null) {
            throw new IllegalArgumentException(model + " needs labels, but none were given"
                    + " (is the data set labelled?)");
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException(model + ": " + labels.length + " labels for "
                    + rows + " examples; expected one label per example");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(model + ": label " + labels[i]
                        + " of example " + i + " is outside 0.." + (classes - 1)
                        + " (setting 'classes' = " + classes + ")");
            }
        }
    }

    /** Throws unless {@code data} is labelled with at most {@code classes} classes. */
    static void checkLabelled(String model, Dataset data, int classes) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException(model + " needs labels; the data set '"
                    + data.name() + "' has none");
        }
        if (data.numClasses() > classes) {
            throw new IllegalArgumentException(model + ": the data set '" + data.name()
                    + "' has " + data.numClasses() + " classes, more than setting 'classes' = "
                    + classes);
        }
    }
}
