package org.vae4j.models;

import java.util.ArrayList;
import java.util.List;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.nn.Activation;
import org.vae4j.nn.Conv2d;
import org.vae4j.nn.Layer;
import org.vae4j.nn.MaskedConv2d;
import org.vae4j.nn.Module;
import org.vae4j.nn.Parameter;
import org.vae4j.nn.Sequential;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/**
 * An autoregressive prior over a {@code H x W} grid of codes in {@code 0..K-1}, a PixelCNN (van
 * den Oord et al., 2016) as the VQ-VAE paper fits one:
 *
 * <pre>
 * p(k) = Π_i p(k_i | k_1..k_{i-1})        (raster order: rows top to bottom, each left to right)
 * p(k_i | k_{&lt;i}) = softmax(f(k)_i)       f: embedding, masked conv A, masked convs B + ReLU,
 *                                          1x1 conv + ReLU, 1x1 conv to K logits
 * </pre>
 *
 * The embedding ({@code K x E}, E = width) turns codes into channels; the first masked
 * convolution (type A, kernel 5, or 3 on grids smaller than 5) hides the centre, the
 * {@code layers} 3x3 type-B convolutions after it let it through, so the logits at i depend only
 * on codes before i. Its loss is the negative log-likelihood of a grid in nats.
 */
public final class PixelCnnPrior extends Module {

    private final int codes;
    private final int height;
    private final int width;
    private final Parameter embedding;
    private final Sequential net;

    /** A prior over {@code height x width} grids of {@code codes} codes. */
    PixelCnnPrior(Backend backend, int codes, int height, int width, int channels, int layers,
            Rng rng) {
        this.codes = codes;
        this.height = height;
        this.width = width;
        this.embedding = addParameter("embedding",
                rng.uniform(backend, Shape.of(codes, channels), -1, 1));
        int first = Math.min(5, 2 * ((Math.max(height, width) - 1) / 2) + 1);
        List<Layer> l = new ArrayList<>();
        l.add(new MaskedConv2d(backend, MaskedConv2d.Type.A, channels, channels, Math.max(first,
                3), rng));
        l.add(Activation.RELU);
        for (int i = 0; i < layers; i++) {
            l.add(new MaskedConv2d(backend, MaskedConv2d.Type.B, channels, channels, 3, rng));
            l.add(Activation.RELU);
        }
        l.add(new Conv2d(backend, channels, channels, 1, ConvSpec.of(1, 0), rng));
        l.add(Activation.RELU);
        l.add(new Conv2d(backend, channels, codes, 1, ConvSpec.of(1, 0), rng));
        this.net = addModule("net", new Sequential(l.toArray(new Layer[0])));
    }

    /** K, the number of codes. */
    public int codes() {
        return codes;
    }

    /** The number of positions of a grid, {@code H·W}. */
    public int positions() {
        return height * width;
    }

    /**
     * The logits {@code f(k)} of {@code n} grids given as {@code n·H·W} codes (example-major,
     * raster order): {@code (n·H·W x K)} rows in the same order.
     */
    public Variable logits(int[] grids) {
        int n = checkGrids(grids);
        int e = embedding.shape().dim(1);
        Variable x = embedding.gatherRows(grids).reshape(n, height, width, e)
                .transpose(0, 3, 1, 2);
        return net.forward(x).transpose(0, 2, 3, 1).reshape(n * height * width, codes);
    }

    /**
     * {@code −(1/n) Σ log p(k)}: the mean negative log-likelihood in nats per grid, the sum over
     * positions of {@code logsumexp(f_i) − f_i[k_i]}.
     */
    public Variable nll(int[] grids) {
        int n = checkGrids(grids);
        Variable logits = logits(grids);
        Variable chosen = logits.mul(Variable.oneHot(logits.backend(), grids, codes)).sum();
        return logits.logSumExp(1, false).sum().sub(chosen).div(n);
    }

    /**
     * Each grid's negative log-likelihood in nats, {@code (n)}: per grid, the sum over positions
     * of {@code logsumexp(f_i) − f_i[k_i]} ({@link #nll} is their mean).
     */
    public Variable nllPerGrid(int[] grids) {
        int n = checkGrids(grids);
        Variable logits = logits(grids);
        Variable chosen = logits.mul(Variable.oneHot(logits.backend(), grids, codes))
                .sum(false, 1);
        return logits.logSumExp(1, false).sub(chosen).reshape(n, height * width)
                .sum(false, 1);
    }

    /**
     * Draws {@code n} grids position by position in raster order, each code from
     * {@code p(k_i | k_{<i})} with {@code rng}: {@code n·H·W} codes, example-major.
     */
    public int[] sample(int n, Rng rng) {
        int m = positions();
        int[] grids = new int[n * m];
        if (n == 0) {
            return grids;
        }
        Backend be = embedding.backend();
        double[] p = new double[codes];
        for (int i = 0; i < m; i++) {
            float[] logits;
            try (TensorScope scope = be.newScope(); NoGrad ignored = NoGrad.enter()) {
                logits = logits(grids).toArray();
            }
            for (int j = 0; j < n; j++) {
                int row = (j * m + i) * codes;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < codes; k++) {
                    max = Math.max(max, logits[row + k]);
                }
                double total = 0;
                for (int k = 0; k < codes; k++) {
                    p[k] = Math.exp(logits[row + k] - max);
                    total += p[k];
                }
                double u = rng.nextDouble() * total;
                int k = 0;
                double cumulative = p[0];
                while (u >= cumulative && k < codes - 1) {
                    k++;
                    cumulative += p[k];
                }
                grids[j * m + i] = k;
            }
        }
        return grids;
    }

    private int checkGrids(int[] grids) {
        int m = positions();
        if (grids.length == 0 || grids.length % m != 0) {
            throw new IllegalArgumentException("PixelCNN prior: " + grids.length + " codes are"
                    + " not whole " + height + "x" + width + " grids");
        }
        for (int i = 0; i < grids.length; i++) {
            if (grids[i] < 0 || grids[i] >= codes) {
                throw new IllegalArgumentException("PixelCNN prior: code " + grids[i] + " at "
                        + i + " is outside 0.." + (codes - 1));
            }
        }
        return grids.length / m;
    }

    @Override
    public String toString() {
        return "PixelCnnPrior(" + height + "x" + width + ", K " + codes + ")";
    }
}
