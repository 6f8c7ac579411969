package org.vae4j.backend.ejml;

import org.vae4j.tensor.ActivationKernels;
import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.LayerKernels;
import org.vae4j.tensor.LossKernels;
import org.vae4j.tensor.OptimizerKernels;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * The EJML backend's optional families: the layer (linear, linear + relu), activation (relu's
 * backward), loss (Bernoulli log-likelihood, its backward, the Gaussian KL) and optimizer (Adam)
 * kernels, each one pass over the arrays with the definition's arithmetic.
 */
final class EjmlFusedKernels implements LayerKernels, ActivationKernels, LossKernels,
        OptimizerKernels {

    private final Backend owner;
    private final int threads;

    /** Kernels whose tensors belong to {@code owner} and which may split over {@code threads}. */
    EjmlFusedKernels(Backend owner, int threads) {
        this.owner = owner;
        this.threads = threads;
    }

    private static float[] data(Tensor t) {
        return ((EjmlTensor) t).data();
    }

    private EjmlTensor wrap(Shape shape, float[] data) {
        return new EjmlTensor(owner, shape, data);
    }

    // The product dominates linear, so fusing its bias saves little time (128x784x400: 12 ms
    // either way) but one array of the batch's size; the training ops below each save several
    // passes and arrays of the batch's size (see bench --profile).

    /**
     * The product, then the bias added in place: the same float additions, in the same order,
     * as the definition's broadcast add, so the result is bit for bit the definition's.
     */
    @Override
    public Tensor linear(Tensor x, Tensor w, Tensor b) {
        Shape out = Shape.of(x.shape().dim(0), w.shape().dim(1));
        EjmlTensor r = wrap(out, new float[out.size()]);
        EjmlKernels.matmul(((EjmlTensor) x).matrix(), false, ((EjmlTensor) w).matrix(), false,
                r.matrix(), threads);
        EjmlKernels.addBias(r.data(), data(b));
        return r;
    }

    /** The product, then bias and relu in one pass over it. */
    @Override
    public Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        Shape out = Shape.of(x.shape().dim(0), w.shape().dim(1));
        EjmlTensor r = wrap(out, new float[out.size()]);
        EjmlKernels.matmul(((EjmlTensor) x).matrix(), false, ((EjmlTensor) w).matrix(), false,
                r.matrix(), threads);
        EjmlKernels.addBiasRelu(r.data(), data(b));
        return r;
    }

    @Override
    public Tensor reluBackward(Tensor g, Tensor y) {
        float[] r = new float[g.size()];
        EjmlKernels.reluBackward(data(g), data(y), r);
        return wrap(g.shape(), r);
    }

    @Override
    public Tensor bceWithLogitsSum(Tensor logits, Tensor target) {
        float sum = (float) EjmlKernels.bceWithLogitsSum(data(logits), data(target), threads);
        return wrap(Shape.scalar(), new float[] {sum});
    }

    @Override
    public Tensor bceWithLogitsBackward(Tensor logits, Tensor target, Tensor g) {
        float[] r = new float[logits.size()];
        EjmlKernels.bceWithLogitsBackward(data(logits), data(target), data(g)[0], r, threads);
        return wrap(logits.shape(), r);
    }

    @Override
    public Tensor gaussianKl(Tensor mu, Tensor logVar) {
        float kl = (float) EjmlKernels.gaussianKl(data(mu), data(logVar));
        return wrap(Shape.scalar(), new float[] {kl});
    }

    /**
     * One pass with the definition's arithmetic ({@link AdamStep#applyInPlace}), split over the
     * threads for large parameters; in place when core allows it, so a step allocates no
     * parameter-sized arrays, else on copies.
     */
    @Override
    public AdamStep.Result adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step, boolean inPlace) {
        float[] p2 = inPlace ? data(param) : data(param).clone();
        float[] m2 = inPlace ? data(m) : data(m).clone();
        float[] v2 = inPlace ? data(v) : data(v).clone();
        float[] g = data(grad);
        EjmlKernels.splitOverThreads(p2.length, threads, (from, to) -> {
            step.applyInPlace(p2, g, m2, v2, from, to);
            return 0;
        });
        if (inPlace) {
            return new AdamStep.Result(param, m, v);
        }
        return new AdamStep.Result(wrap(param.shape(), p2), wrap(param.shape(), m2),
                wrap(param.shape(), v2));
    }
}
