package org.vae4j.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.model.Model;
import org.vae4j.nn.Parameter;
import org.vae4j.optim.OptimizerState;
import org.vae4j.tensor.Tensor;

/**
 * A model's parameters, gradients and optimizer state as one flat float vector, in the order of
 * {@code model.parameters()}: what travels between the driver and the workers each step.
 */
final class ParameterVectors {
    private ParameterVectors() {
    }

    /** The number of values of every parameter (buffers included). */
    static int size(Model model) {
        int n = 0;
        for (Parameter p : model.parameters().values()) {
            n += p.size();
        }
        return n;
    }

    /** Every parameter's values, one after the other. */
    static float[] weights(Model model) {
        float[] v = new float[size(model)];
        int at = 0;
        for (Parameter p : model.parameters().values()) {
            float[] w = p.toArray();
            System.arraycopy(w, 0, v, at, w.length);
            at += w.length;
        }
        return v;
    }

    /** Sets every parameter from {@code v}, as {@link #weights} laid it out. */
    static void assignWeights(Model model, float[] v) {
        if (v.length < size(model)) {
            throw new IllegalStateException("a weight vector of " + v.length + " values for a"
                    + " model of " + size(model));
        }
        int at = 0;
        for (Parameter p : model.parameters().values()) {
            float[] w = new float[p.size()];
            System.arraycopy(v, at, w, 0, w.length);
            p.assign(w);
            at += w.length;
        }
    }

    /**
     * Every parameter's gradient times {@code scale} (zeros for a buffer or a parameter the loss
     * did not reach), laid out as {@link #weights}. A scale of exactly 1 leaves them unchanged.
     */
    static float[] gradients(Model model, float scale) {
        float[] v = new float[size(model)];
        int at = 0;
        for (Parameter p : model.parameters().values()) {
            Tensor g = p.grad();
            if (g != null) {
                float[] a = g.toArray();
                for (int i = 0; i < a.length; i++) {
                    v[at + i] = a[i] * scale;
                }
            }
            at += p.size();
        }
        return v;
    }

    /** Adds the gradients in {@code v} to the trainable parameters, for an optimizer step. */
    static void addGradients(Model model, float[] v) {
        int at = 0;
        for (Parameter p : model.parameters().values()) {
            if (p.isTrainable()) {
                float[] g = new float[p.size()];
                System.arraycopy(v, at, g, 0, g.length);
                p.addGrad(model.backend().fromArray(g, p.shape()));
            }
            at += p.size();
        }
    }

    /** Appends {@code state}'s buffers, times {@code scale}, to {@code head}. */
    static float[] withState(float[] head, OptimizerState state, float scale) {
        int n = head.length;
        for (float[] b : state.buffers().values()) {
            n += b.length;
        }
        float[] v = java.util.Arrays.copyOf(head, n);
        int at = head.length;
        for (float[] b : state.buffers().values()) {
            for (int i = 0; i < b.length; i++) {
                v[at + i] = b[i] * scale;
            }
            at += b.length;
        }
        return v;
    }

    /** Multiplies {@code v} by {@code scale} in place; a scale of exactly 1 changes nothing. */
    static float[] scaled(float[] v, float scale) {
        if (scale != 1f) {
            for (int i = 0; i < v.length; i++) {
                v[i] *= scale;
            }
        }
        return v;
    }

    /** The optimizer state at step {@code step} whose buffers follow {@code from} in {@code v}. */
    static OptimizerState state(long step, float[] v, int from, List<String> names,
            int[] sizes) {
        Map<String, float[]> buffers = new LinkedHashMap<>();
        int at = from;
        for (int i = 0; i < names.size(); i++) {
            float[] b = new float[sizes[i]];
            System.arraycopy(v, at, b, 0, b.length);
            buffers.put(names.get(i), b);
            at += b.length;
        }
        return new OptimizerState(step, buffers);
    }

    /**
     * {@code state} with its buffers in name order: an optimizer creates them as gradients
     * arrive, which need not be the same order on every worker.
     */
    static OptimizerState sorted(OptimizerState state) {
        return new OptimizerState(state.step(), new java.util.TreeMap<>(state.buffers()));
    }

    /** The buffer names of {@code state}, in order. */
    static List<String> names(OptimizerState state) {
        return new ArrayList<>(state.buffers().keySet());
    }

    /** Their sizes, in order. */
    static int[] sizes(OptimizerState state) {
        return state.buffers().values().stream().mapToInt(b -> b.length).toArray();
    }

    /** Flattens an optimizer state's buffers (for shipping it to the workers). */
    static float[] flatten(OptimizerState state) {
        return withState(new float[0], state, 1f);
    }
}
