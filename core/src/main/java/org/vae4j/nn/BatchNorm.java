package org.vae4j.nn;

import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * Batch normalisation (Ioffe and Szegedy) over the channel axis 1 of {@code (N x C)},
 * {@code (N x C x L)} or {@code (N x C x H x W)} inputs: PyTorch's {@code BatchNorm1d} and
 * {@code BatchNorm2d} in one layer. In training mode each channel is normalised by the batch's
 * mean and biased variance over every other axis, and the running statistics move towards the
 * batch's ({@code running = (1 − momentum)·running + momentum·batch}, the variance unbiased); in
 * evaluation mode the running statistics are used. {@code y = γ·x̂ + β} with a learned
 * per-channel scale {@code weight} (initially 1) and shift {@code bias} (0). The statistics
 * are buffers ({@code running_mean}, {@code running_var}), so checkpoints keep them.
 */
public final class BatchNorm extends Module implements Layer {

    private final int channels;
    private final float eps;
    private final float momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;

    /** PyTorch's defaults: {@code eps = 1e-5}, {@code momentum = 0.1}. */
    public BatchNorm(Backend backend, int channels) {
        this(backend, channels, 1e-5f, 0.1f);
    }

    public BatchNorm(Backend backend, int channels, float eps, float momentum) {
        if (channels < 1) {
            throw new IllegalArgumentException("BatchNorm: channels must be at least 1, got "
                    + channels);
        }
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm: eps must be positive and momentum in"
                    + " [0, 1], got eps " + eps + " and momentum " + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        Shape c = Shape.of(channels);
        this.weight = addParameter("weight", backend.ones(c));
        this.bias = addParameter("bias", backend.zeros(c));
        this.runningMean = addBuffer("running_mean", backend.zeros(c));
        this.runningVar = addBuffer("running_var", backend.ones(c));
    }

    @Override
    public Variable forward(Variable x) {
        Shape s = x.shape();
        if (s.rank() < 2 || s.rank() > 4 || s.dim(1) != channels) {
            throw new IllegalArgumentException("BatchNorm(" + channels + "): expects (N x "
                    + channels + "), (N x " + channels + " x L) or (N x " + channels
                    + " x H x W) input, got " + s);
        }
        int[] axes = statisticsAxes(s.rank());
        Shape perChannel = channelShape(s.rank());
        Variable mean;
        Variable var;
        if (isTraining()) {
            long count = (long) s.size() / channels;
            if (count < 2) {
                throw new IllegalArgumentException("BatchNorm(" + channels + "): training needs"
                        + " more than one value per channel, got input " + s);
            }
            mean = x.mean(true, axes);
            Variable centered = x.sub(mean);
            var = centered.square().mean(true, axes);
            updateRunningStatistics(mean.value(), var.value(), count);
            return affine(centered.div(var.add(eps).sqrt()), perChannel);
        }
        mean = runningMean.reshape(perChannel);
        var = runningVar.reshape(perChannel);
        return affine(x.sub(mean).div(var.add(eps).sqrt()), perChannel);
    }

    private Variable affine(Variable normalised, Shape perChannel) {
        return normalised.mul(weight.reshape(perChannel)).add(bias.reshape(perChannel));
    }

    private void updateRunningStatistics(Tensor mean, Tensor var, long count) {
        try (NoGrad ignored = NoGrad.enter()) {
            Backend be = mean.backend();
            Shape c = Shape.of(channels);
            Tensor keep = be.scalar(1 - momentum);
            Tensor take = be.scalar(momentum);
            Tensor unbiased = be.mul(be.reshape(var, c), be.scalar((float) count / (count - 1)));
            runningMean.assign(be.add(be.mul(runningMean.value(), keep),
                    be.mul(be.reshape(mean, c), take)));
            runningVar.assign(be.add(be.mul(runningVar.value(), keep), be.mul(unbiased, take)));
        }
    }

    /** Every axis but the channel axis 1. */
    private static int[] statisticsAxes(int rank) {
        int[] axes = new int[rank - 1];
        axes[0] = 0;
        for (int i = 2; i < rank; i++) {
            axes[i - 1] = i;
        }
        return axes;
    }

    private Shape channelShape(int rank) {
        int[] dims = new int[rank];
        java.util.Arrays.fill(dims, 1);
        dims[1] = channels;
        return Shape.of(dims);
    }

    /** The running mean per channel (a buffer). */
    public Parameter runningMean() {
        return runningMean;
    }

    /** The running variance per channel (a buffer). */
    public Parameter runningVar() {
        return runningVar;
    }

    public int channels() {
        return channels;
    }

    public float eps() {
        return eps;
    }

    public float momentum() {
        return momentum;
    }

    @Override
    public String toString() {
        return "BatchNorm(" + channels + ", eps " + eps + ", momentum " + momentum + ")";
    }
}
