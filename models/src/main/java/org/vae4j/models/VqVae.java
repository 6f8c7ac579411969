package org.vae4j.models;

import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vae4j.anomaly.AnomalyScorer;
import org.vae4j.anomaly.ScoreOptions;
import org.vae4j.anomaly.Scores;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.loss.Losses;
import org.vae4j.model.Decoder;
import org.vae4j.model.Encoder;
import org.vae4j.model.Generator;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Reconstructor;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Activation;
import org.vae4j.nn.Parameter;
import org.vae4j.nn.Sequential;
import org.vae4j.optim.Adam;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * The vector-quantised VAE (van den Oord et al., 2017) with MLP or conv encoder and decoder. The encoder
 * maps each example to {@code M} vectors of width {@code D} (setting {@code positions} and
 * {@code code-dim}); each is replaced by its nearest of {@code K} codebook vectors and the decoder
 * reconstructs the example from them:
 *
 * <pre>
 * z_e = enc(x) reshaped to (n·M x D);   k = argmin_j ‖z_e − e_j‖²;   e = e_k
 * x̂ = dec(z_e + sg[e − z_e])                    (straight-through: forward e, gradient to z_e)
 * L = (1/n) Σ ‖x̂ − x‖² + (1/n) Σ ‖sg[z_e] − e‖² + β (1/n) Σ ‖z_e − sg[e]‖²
 * </pre>
 *
 * summed over pixels and latent entries, averaged over the batch. With EMA codebook updates
 * (setting {@code ema}) the codebook term is dropped and {@link Codebook#emaUpdate} runs in
 * {@link #afterStep}, outside autodiff; codes idle for {@code dead-code-steps} steps are restarted
 * there too, which at the first step initialises the codebook from encoder outputs (see
 * {@link Codebook}). Terms: {@code reconstruction}, {@code codebook} (without EMA), {@code commitment}
 * (unweighted) and {@code perplexity} (of the batch's code usage).
 *
 * <p><b>Conv grid.</b> With {@code arch=conv} the encoder is the architecture's stride-2 stages
 * then a 1x1 convolution to D channels, a {@code (D x H' x W')} grid (7x7 for MNIST); its
 * {@code M = H'·W'} positions, in raster order, are the latent vectors, and the decoder is a 1x1
 * convolution followed by the transposed stages.
 *
 * <p><b>PixelCNN prior.</b> With {@code prior=pixelcnn} (conv only) samples come from an
 * autoregressive {@link PixelCnnPrior} over the grid,
 * {@code p(k_1..k_M) = Π_i p(k_i | k_1..k_{i-1})}, trained by {@link #afterTraining} after the
 * autoencoder on the training set's code grids ({@link #trainPixelCnn}).
 *
 * <p><b>Sampling.</b> Without the PixelCNN, the prior over codes is a product of independent categoricals, one per
 * position: {@code p(k_1..k_M) = Π_m π_m(k_m)}. It is uniform until {@link #fitPrior} sets each
 * {@code π_m} to the code frequencies at position m over a data set (maximum likelihood, no
 * smoothing, so codes never seen are never drawn). It is stored in the buffer {@code prior}
 * {@code (M x K)}, so checkpoints keep it; it is fitted with the PixelCNN too, for comparison
 * ({@link #priorNll}).
 */
public final class VqVae extends Model
        implements Encoder, Decoder, Reconstructor, Generator, AnomalyScorer {

    private final Architecture arch;
    private final int input;
    private final int positions;
    private final int codeDim;
    private final double commitment;
    private final Activation output;
    private final Sequential encoder;
    private final Sequential decoder;
    private final Codebook codebook;
    private final Parameter prior;
    /** The autoregressive prior over the code grid, or null for the independent prior. */
    private final PixelCnnPrior pixelCnn;
    private final int priorEpochs;
    private final double priorLearningRate;

    /** The loss's outputs afterStep reads: the encoder outputs {@code z_e} and their codes. */
    static final Loss.Output<Tensor> ENCODINGS = Loss.Output.of("z_e", Tensor.class);
    static final Loss.Output<int[]> CODES = Loss.Output.of("codes", int[].class);

    /**
     * A VQ-VAE over {@code arch}: for an MLP, {@code positions} vectors per example; for
     * {@code arch=conv}, one per position of the encoder's grid ({@code positions} is ignored).
     * {@code priorSettings} is null for the independent prior, else the PixelCNN's.
     */
    VqVae(String typeName, ModelConfig config, Backend backend, Architecture arch,
            Activation activation, Activation output, int positions, int codeDim,
            int codebookSize, double commitment, boolean ema, double decay, double epsilon,
            int deadCodeSteps, PriorSettings priorSettings, Rng rng) {
        super(typeName, config, backend);
        this.arch = arch;
        this.input = arch.inputSize();
        this.positions = arch.conv() ? arch.grid()[0] * arch.grid()[1] : positions;
        this.codeDim = codeDim;
        this.commitment = commitment;
        this.output = output;
        if (arch.conv()) {
            this.encoder = addModule("encoder",
                    arch.gridEncoder(backend, codeDim, activation, rng));
            this.decoder = addModule("decoder",
                    arch.gridDecoder(backend, codeDim, activation, rng));
        } else {
            int latent = positions * codeDim;
            this.encoder = addModule("encoder", arch.encoder(backend, 0, latent, activation,
                    rng));
            this.decoder = addModule("decoder", arch.decoder(backend, latent, activation, rng));
        }
        this.codebook = addModule("codebook",
                new Codebook(backend, codebookSize, codeDim, ema, decay, epsilon,
                        deadCodeSteps, rng));
        this.prior = addBuffer("prior", backend.full(Shape.of(this.positions, codebookSize),
                1f / codebookSize));
        if (priorSettings == null) {
            this.pixelCnn = null;
            this.priorEpochs = 0;
            this.priorLearningRate = 0;
        } else {
            int[] grid = arch.grid();
            this.pixelCnn = addModule("pixelcnn", new PixelCnnPrior(backend, codebookSize,
                    grid[0], grid[1], priorSettings.width(), priorSettings.layers(), rng));
            this.priorEpochs = priorSettings.epochs();
            this.priorLearningRate = priorSettings.learningRate();
        }
    }

    /** The PixelCNN prior's settings: its width, type-B layers, epochs and Adam's rate. */
    record PriorSettings(int width, int layers, int epochs, double learningRate) {
    }

    @Override
    public Shape inputShape() {
        return arch.inputShape();
    }

    /** M·D: the width of an example's encoder output. */
    @Override
    public int latentSize() {
        return positions * codeDim;
    }

    /** M, the latent vectors per example ({@code H'·W'} for a conv grid). */
    public int positions() {
        return positions;
    }

    public Codebook codebook() {
        return codebook;
    }

    /** The {@code (D, H', W')} code grid of {@code arch=conv}, or null for an MLP. */
    public int[] gridShape() {
        return arch.conv() ? new int[] {codeDim, arch.grid()[0], arch.grid()[1]} : null;
    }

    /** The PixelCNN prior, or null when the prior is the independent one. */
    public PixelCnnPrior pixelCnn() {
        return pixelCnn;
    }

    /** The {@code (M x K)} prior probabilities of the codes at each position. */
    public float[] prior() {
        return prior.toArray();
    }

    // ---------------------------------------------------------------- the objective

    @Override
    public Loss loss(Batch batch, StepContext context) {
        checkInputs(batch.x());
        int n = batch.size();
        Variable x = Variable.constant(batch.x());
        Variable ze = encodeVectors(x);                         // z_e(x), (n·M x D)
        int[] codes = codebook.nearest(ze.value());             // k = argmin_j ‖z_e − e_j‖²
        Variable e = codebook.lookup(codes);                    // e_k
        Variable zq = ze.add(e.sub(ze).detach());               // z_e + sg[e − z_e]
        Variable reconstruction = Losses.mseSum(decodeVectors(zq, n), rows(x));
        // β ‖z_e − sg[e]‖², per example
        Variable commit = ze.sub(e.detach()).square().sum().div(n);
        Variable total = reconstruction.add(commit.mul((float) commitment));
        Variable codebookLoss = null;
        if (!codebook.usesEma()) {
            // ‖sg[z_e] − e‖², per example
            codebookLoss = ze.detach().sub(e).square().sum().div(n);
            total = total.add(codebookLoss);
        }
        Loss loss = Loss.of(total).with("reconstruction", reconstruction);
        if (codebookLoss != null) {
            loss = loss.with("codebook", codebookLoss);
        }
        return loss.with("commitment", commit).with("perplexity", Variable.scalar(backend(),
                (float) Codebook.perplexity(codes, codebook.size())))
                .withOutput(ENCODINGS, ze).withOutput(CODES, codes);
    }

    /**
     * The updates that are not gradient steps, from the encoder outputs and codes of this
     * step's loss (its outputs {@code z_e} and {@code codes}): the EMA codebook update (setting
     * {@code ema}) and dead-code restarts.
     */
    @Override
    public void afterStep(Batch batch, Loss loss, StepContext context) {
        if (!context.training()) {
            return;
        }
        Tensor ze = loss.output(ENCODINGS);
        int[] codes = loss.output(CODES);
        if (codebook.usesEma()) {
            codebook.emaUpdate(ze, codes);
        }
        codebook.restartDeadCodes(codes, ze, context.rng());
    }

    /**
     * {@code z_e(x)}: the encoder output as {@code (n·M x D)} rows; for a conv grid
     * {@code (n x D x H' x W')} becomes one row per position, example-major, raster order.
     */
    public Variable encodeVectors(Variable x) {
        int n = x.shape().dim(0);
        if (arch.conv()) {
            return encoder.forward(arch.images(x)).transpose(0, 2, 3, 1)
                    .reshape(n * positions, codeDim);
        }
        return encoder.forward(x).reshape(n * positions, codeDim);
    }

    /** {@code x̂ = dec(z)} from {@code (n·M x D)} rows, through the output activation. */
    public Variable decodeVectors(Variable z, int n) {
        if (arch.conv()) {
            int[] grid = arch.grid();
            return output.apply(decoder.forward(z.reshape(n, grid[0], grid[1], codeDim)
                    .transpose(0, 3, 1, 2)));
        }
        return output.apply(decoder.forward(z.reshape(n, positions * codeDim)));
    }

    private void checkInputs(Tensor x) {
        if (arch.conv()) {
            arch.checkExamples(x.shape());
        } else {
            Inputs.checkWidth(typeName(), x, input);
        }
    }

    private Variable rows(Variable x) {
        return arch.conv() ? arch.rows(x) : x;
    }

    // ---------------------------------------------------------------- capabilities

    /**
     * The encoder outputs before quantisation, {@code (n x M·D)}: for a conv grid, the D values
     * of each position in turn (raster order).
     */
    @Override
    public Tensor encode(Batch batch) {
        checkInputs(batch.x());
        if (arch.conv()) {
            return withoutGradient(() -> encodeVectors(Variable.constant(batch.x()))
                    .reshape(batch.size(), positions * codeDim));
        }
        return withoutGradient(() -> encoder.forward(Variable.constant(batch.x())));
    }

    /** The nearest code of each example's M vectors: {@code n·M} indices, example-major. */
    public int[] codes(Batch batch) {
        checkInputs(batch.x());
        try (TensorScope scope = backend().newScope(); NoGrad ignored = NoGrad.enter()) {
            return codebook.nearest(encodeVectors(Variable.constant(batch.x())).value());
        }
    }

    /** Decodes {@code n·M} code indices (example-major) to {@code n} examples. */
    public Tensor decodeCodes(int[] codes) {
        if (codes.length % positions != 0) {
            throw new IllegalArgumentException(typeName() + ": " + codes.length + " codes are not"
                    + " whole examples of " + positions + " positions (setting 'positions')");
        }
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= codebook.size()) {
                throw new IllegalArgumentException(typeName() + ": code " + codes[i] + " at "
                        + i + " is outside 0.." + (codebook.size() - 1)
                        + " (setting 'codebook-size')");
            }
        }
        return withoutGradient(() -> decodeVectors(codebook.lookup(codes),
                codes.length / positions));
    }

    /** Quantises {@code z (n x M·D)} to its nearest codes, then decodes them. */
    @Override
    public Tensor decode(Tensor z, int[] labels) {
        if (z.shape().rank() != 2 || z.shape().dim(1) != latentSize()) {
            throw new IllegalArgumentException(typeName() + " decodes latent codes of width "
                    + latentSize() + " (settings 'positions' x 'code-dim'), got " + z.shape());
        }
        int[] codes;
        try (TensorScope scope = backend().newScope()) {
            codes = codebook.nearest(backend().reshape(z,
                    Shape.of(z.shape().dim(0) * positions, codeDim)));
        }
        return decodeCodes(codes);
    }

    /** {@code dec(e_k)} with {@code k} the nearest codes of {@code enc(x)}. */
    @Override
    public Tensor reconstruct(Batch batch) {
        return decodeCodes(codes(batch));
    }

    /**
     * Draws each example's M codes from the prior (the PixelCNN position by position, or the
     * independent per-position prior), then decodes them.
     */
    @Override
    public Tensor sample(int n, int[] labels, Rng rng) {
        if (n < 0) {
            throw new IllegalArgumentException(typeName() + ": cannot draw " + n + " samples");
        }
        if (pixelCnn != null) {
            return decodeCodes(pixelCnn.sample(n, rng));
        }
        int k = codebook.size();
        float[] p = prior.toArray();
        int[] codes = new int[n * positions];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < positions; m++) {
                codes[i * positions + m] = drawCategorical(p, m * k, k, rng);
            }
        }
        return decodeCodes(codes);
    }

    private static int drawCategorical(float[] p, int offset, int k, Rng rng) {
        double total = 0;
        for (int j = 0; j < k; j++) {
            total += p[offset + j];
        }
        double u = rng.nextDouble() * total;
        double cumulative = 0;
        int last = 0;
        for (int j = 0; j < k; j++) {
            if (p[offset + j] > 0) {
                cumulative += p[offset + j];
                last = j;
                if (u < cumulative) {
                    return j;
                }
            }
        }
        return last;
    }

    /**
     * Fits the priors over codes once training has ended: the independent one
     * ({@link #fitPrior}), then the PixelCNN if there is one ({@link #trainPixelCnn}).
     */
    @Override
    public void afterTraining(DataLoader trainData) {
        fitPrior(trainData);
        if (pixelCnn != null) {
            trainPixelCnn(trainData, priorEpochs, null);
        }
    }

    /** What {@link #trainPixelCnn} reports after each of its epochs. */
    public interface PriorProgress {
        /** Epoch {@code epoch} (from 0) of {@code epochs} ended with mean NLL {@code nll}. */
        void onEpoch(int epoch, int epochs, double nll, double seconds);
    }

    /**
     * Trains the PixelCNN prior by Adam on the code grids of {@code loader}'s batches (its
     * epochs 0..{@code epochs}-1, so each epoch is shuffled as the loader shuffles), the
     * autoencoder fixed: minimises the negative log-likelihood in nats per grid. Each epoch's
     * mean NLL is logged, and reported to {@code progress} if given. Returns the last mean.
     */
    public double trainPixelCnn(DataLoader loader, int epochs, PriorProgress progress) {
        if (pixelCnn == null) {
            throw new IllegalStateException(typeName() + " has no PixelCNN prior (setting"
                    + " 'prior' = pixelcnn)");
        }
        double last = Double.NaN;
        try (Adam adam = new Adam(pixelCnn.parameters(), priorLearningRate)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                long t0 = System.nanoTime();
                double sum = 0;
                long grids = 0;
                for (int b = 0; b < loader.batchesPerEpoch(); b++) {
                    try (TensorScope scope = backend().newScope()) {
                        Batch batch = loader.batch(epoch, b);
                        int[] codes = codes(batch);
                        Variable nll = pixelCnn.nll(codes);
                        float value = nll.item();
                        adam.backwardAndStep(nll);
                        sum += (double) value * batch.size();
                        grids += batch.size();
                    }
                }
                last = sum / grids;
                double seconds = (System.nanoTime() - t0) / 1e9;
                LOG.info("PixelCNN prior epoch {}/{}: NLL {} nats per grid ({} s)", epoch + 1,
                        epochs, String.format("%.3f", last), String.format("%.1f", seconds));
                if (progress != null) {
                    progress.onEpoch(epoch, epochs, last, seconds);
                }
            }
        }
        return last;
    }

    /**
     * The mean negative log-likelihood in nats per grid of the codes of {@code loader}'s epoch
     * 0, under the PixelCNN prior ({@code pixelCnn} true) or the independent one.
     */
    public double priorNll(DataLoader loader, boolean pixelCnnPrior) {
        if (pixelCnnPrior && pixelCnn == null) {
            throw new IllegalStateException(typeName() + " has no PixelCNN prior (setting"
                    + " 'prior' = pixelcnn)");
        }
        int k = codebook.size();
        float[] p = prior.toArray();
        double sum = 0;
        long grids = 0;
        for (int b = 0; b < loader.batchesPerEpoch(); b++) {
            try (TensorScope scope = backend().newScope(); NoGrad ignored = NoGrad.enter()) {
                Batch batch = loader.batch(0, b);
                int[] codes = codes(batch);
                if (pixelCnnPrior) {
                    sum += (double) pixelCnn.nll(codes).item() * batch.size();
                } else {
                    for (int i = 0; i < codes.length; i++) {
                        sum -= Math.log(p[(i % positions) * k + codes[i]]);
                    }
                }
                grids += batch.size();
            }
        }
        return sum / grids;
    }

    /**
     * Sets the prior {@code π_m(k)} to the frequency of code k at position m over every batch of
     * epoch 0 of {@code loader} (maximum likelihood). The trainer calls it after training.
     */
    public void fitPrior(DataLoader loader) {
        int k = codebook.size();
        long[] counts = new long[positions * k];
        long examples = 0;
        for (int b = 0; b < loader.batchesPerEpoch(); b++) {
            try (TensorScope scope = backend().newScope()) {
                int[] codes = codes(loader.batch(0, b));
                for (int i = 0; i < codes.length; i++) {
                    counts[(i % positions) * k + codes[i]]++;
                }
                examples += codes.length / positions;
            }
        }
        float[] p = new float[positions * k];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) ((double) counts[i] / examples);
        }
        prior.assign(p);
    }

    private static final Logger LOG = LoggerFactory.getLogger(VqVae.class);

    private Tensor withoutGradient(Supplier<Variable> f) {
        try (TensorScope scope = backend().newScope(); NoGrad ignored = NoGrad.enter()) {
            return scope.keep(f.get().value());
        }
    }

    /**
     * {@link Scores#RECONSTRUCTION_ERROR}: {@code s(x) = Σ_j (x_j − dec(e_k(x))_j)²}, the squared
     * error of the quantised reconstruction summed over the features (the loss's reconstruction
     * term of one example). The prior's {@link Scores#PRIOR_NLL} of the code grid joins it when
     * the model has an autoregressive prior.
     */
    @Override
    public List<String> scoreNames() {
        return pixelCnn != null ? List.of(Scores.RECONSTRUCTION_ERROR, Scores.PRIOR_NLL)
                : List.of(Scores.RECONSTRUCTION_ERROR);
    }

    /**
     * {@link Scores#PRIOR_NLL} (with a PixelCNN prior): {@code s(x) = −log p(k(x))}, the
     * prior's negative log-likelihood in nats of the example's code grid {@code k(x)}, the sum
     * over positions of {@code −log p(k_i | k_<i)}.
     */
    @Override
    public Tensor score(String name, Batch batch, ScoreOptions options) {
        checkScore(name);
        try (TensorScope scope = backend().newScope()) {
            if (Scores.PRIOR_NLL.equals(name)) {
                int[] grids = codes(batch);
                return scope.keep(withoutGradient(() -> pixelCnn.nllPerGrid(grids)));
            }
            return scope.keep(Scores.reconstructionError(backend(), this, batch));
        }
    }

    @Override
    public boolean hasContributions(String name) {
        return Scores.RECONSTRUCTION_ERROR.equals(name);
    }

    /** {@code (x_j − x̂_j)²} of every feature. */
    @Override
    public Tensor contributions(String name, Batch batch, ScoreOptions options) {
        checkScore(name);
        try (TensorScope scope = backend().newScope()) {
            return scope.keep(Scores.squaredErrors(backend(), this, batch));
        }
    }

    private void checkScore(String name) {
        if (!scoreNames().contains(name)) {
            throw Scores.unknown(typeName(), name, scoreNames());
        }
    }

    @Override
    public String toString() {
        String from = arch.conv() ? arch.toString() + " -> " + codeDim + "x" + arch.grid()[0]
                + "x" + arch.grid()[1] + " grid" : input + " -> " + positions + " x " + codeDim;
        return typeName() + "(" + from + ", K " + codebook.size()
                + (codebook.usesEma() ? ", EMA" : "") + (pixelCnn != null ? ", PixelCNN prior"
                : "") + ")";
    }
}
