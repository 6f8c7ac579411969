package org.vae4j.models;

import java.util.List;
import java.util.function.Supplier;
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
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * The vector-quantised VAE (van den Oord et al., 2017) with MLP encoder and decoder. The encoder
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
 * <p><b>Sampling.</b> The prior over codes is a product of independent categoricals, one per
 * position: {@code p(k_1..k_M) = Π_m π_m(k_m)}. It is uniform until {@link #fitPrior} sets each
 * {@code π_m} to the code frequencies at position m over a data set (maximum likelihood, no
 * smoothing, so codes never seen are never drawn). It is stored in the buffer {@code prior}
 * {@code (M x K)}, so checkpoints keep it. (The paper fits an autoregressive PixelCNN prior; this
 * independent prior is the simplest that captures which codes each position uses.)
 */
public final class VqVae extends Model
        implements Encoder, Decoder, Reconstructor, Generator, AnomalyScorer {

    private final int input;
    private final int positions;
    private final int codeDim;
    private final double commitment;
    private final Activation output;
    private final Sequential encoder;
    private final Sequential decoder;
    private final Codebook codebook;
    private final Parameter prior;

    /** The loss's outputs afterStep reads: the encoder outputs {@code z_e} and their codes. */
    static final Loss.Output<Tensor> ENCODINGS = Loss.Output.of("z_e", Tensor.class);
    static final Loss.Output<int[]> CODES = Loss.Output.of("codes", int[].class);

    VqVae(String typeName, ModelConfig config, Backend backend, int input, int[] hidden,
            Activation activation, Activation output, int positions, int codeDim,
            int codebookSize, double commitment, boolean ema, double decay, double epsilon,
            int deadCodeSteps, Rng rng) {
        super(typeName, config, backend);
        this.input = input;
        this.positions = positions;
        this.codeDim = codeDim;
        this.commitment = commitment;
        this.output = output;
        int latent = positions * codeDim;
        this.encoder = addModule("encoder",
                Networks.encoder(backend, input, hidden, latent, activation, rng));
        this.decoder = addModule("decoder",
                Networks.decoder(backend, latent, hidden, input, activation, rng));
        this.codebook = addModule("codebook",
                new Codebook(backend, codebookSize, codeDim, ema, decay, epsilon,
                        deadCodeSteps, rng));
        this.prior = addBuffer("prior", backend.full(Shape.of(positions, codebookSize),
                1f / codebookSize));
    }

    @Override
    public Shape inputShape() {
        return Shape.of(input);
    }

    /** M·D: the width of an example's encoder output. */
    @Override
    public int latentSize() {
        return positions * codeDim;
    }

    /** M, the latent vectors per example. */
    public int positions() {
        return positions;
    }

    public Codebook codebook() {
        return codebook;
    }

    /** The {@code (M x K)} prior probabilities of the codes at each position. */
    public float[] prior() {
        return prior.toArray();
    }

    // ---------------------------------------------------------------- the objective

    @Override
    public Loss loss(Batch batch, StepContext context) {
        Inputs.checkWidth(typeName(), batch, input);
        int n = batch.size();
        Variable x = Variable.constant(batch.x());
        Variable ze = encodeVectors(x);                         // z_e(x), (n·M x D)
        int[] codes = codebook.nearest(ze.value());             // k = argmin_j ‖z_e − e_j‖²
        Variable e = codebook.lookup(codes);                    // e_k
        Variable zq = ze.add(e.sub(ze).detach());               // z_e + sg[e − z_e]
        Variable reconstruction = Losses.mseSum(decodeVectors(zq, n), x);
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

    /** {@code z_e(x)}: the encoder output as {@code (n·M x D)} rows. */
    public Variable encodeVectors(Variable x) {
        return encoder.forward(x).reshape(x.shape().dim(0) * positions, codeDim);
    }

    /** {@code x̂ = dec(z)} from {@code (n·M x D)} rows, through the output activation. */
    public Variable decodeVectors(Variable z, int n) {
        return output.apply(decoder.forward(z.reshape(n, positions * codeDim)));
    }

    // ---------------------------------------------------------------- capabilities

    /** The encoder outputs before quantisation, {@code (n x M·D)}. */
    @Override
    public Tensor encode(Batch batch) {
        Inputs.checkWidth(typeName(), batch, input);
        return withoutGradient(() -> encoder.forward(Variable.constant(batch.x())));
    }

    /** The nearest code of each example's M vectors: {@code n·M} indices, example-major. */
    public int[] codes(Batch batch) {
        Inputs.checkWidth(typeName(), batch, input);
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

    /** Draws each example's M codes from the per-position prior, then decodes them. */
    @Override
    public Tensor sample(int n, int[] labels, Rng rng) {
        if (n < 0) {
            throw new IllegalArgumentException(typeName() + ": cannot draw " + n + " samples");
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

    /** Fits the prior over codes ({@link #fitPrior}) once training has ended. */
    @Override
    public void afterTraining(DataLoader trainData) {
        fitPrior(trainData);
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
        return List.of(Scores.RECONSTRUCTION_ERROR);
    }

    @Override
    public Tensor score(String name, Batch batch, ScoreOptions options) {
        checkScore(name);
        try (TensorScope scope = backend().newScope()) {
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
        return typeName() + "(" + input + " -> " + positions + " x " + codeDim + ", K "
                + codebook.size() + (codebook.usesEma() ? ", EMA" : "") + ")";
    }
}
