package org.vae4j.nn;

import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;

/**
 * Group normalisation (Wu and He) of {@code (N x C x ...)} inputs: the channels are split into
 * {@code groups} groups of consecutive channels, each example's group is normalised by its mean
 * and biased variance, then each channel is scaled and shifted by a learned {@code weight}
 * (initially 1) and {@code bias} (0), as PyTorch's {@code GroupNorm}. Independent of the batch,
 * so the same in training and evaluation; one group is layer norm over C×H×W, C groups is
 * instance norm.
 */
public final class GroupNorm extends Module implements Layer {

    private final int groups;
    private final int channels;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /** With PyTorch's {@code eps = 1e-5}. */
    public GroupNorm(Backend backend, int groups, int channels) {
        this(backend, groups, channels, 1e-5f);
    }

    public GroupNorm(Backend backend, int groups, int channels, float eps) {
        if (groups < 1 || channels < 1 || channels % groups != 0) {
            throw new IllegalArgumentException("GroupNorm: " + channels + " channels cannot be"
                    + " split into " + groups + " groups; the channels must be a positive"
                    + " multiple of the groups");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("GroupNorm: eps must be positive, got " + eps);
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.weight = addParameter("weight", backend.ones(Shape.of(channels)));
        this.bias = addParameter("bias", backend.zeros(Shape.of(channels)));
    }

    @Override
    public Variable forward(Variable x) {
        Shape s = x.shape();
        if (s.rank() < 2 || s.dim(1) != channels) {
            throw new IllegalArgumentException("GroupNorm(" + groups + ", " + channels
                    + "): expects (N x " + channels + " x ...) input, got " + s);
        }
        int n = s.dim(0);
        Variable grouped = x.reshape(n, groups, s.size() / n / groups);
        Variable centered = grouped.sub(grouped.mean(true, 2));
        Variable var = centered.square().mean(true, 2);
        Variable normalised = centered.div(var.add(eps).sqrt()).reshape(s);
        int[] perChannel = new int[s.rank()];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[1] = channels;
        return normalised.mul(weight.reshape(perChannel)).add(bias.reshape(perChannel));
    }

    public int groups() {
        return groups;
    }

    public int channels() {
        return channels;
    }

    public float eps() {
        return eps;
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + ", " + channels + ")";
    }
}
