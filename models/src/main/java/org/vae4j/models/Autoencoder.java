package org.vae4j.models;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.vae4j.anomaly.AnomalyScorer;
import org.vae4j.anomaly.ScoreOptions;
import org.vae4j.anomaly.Scores;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.loss.Losses;
import org.vae4j.model.Decoder;
import org.vae4j.model.Encoder;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Reconstructor;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Activation;
import org.vae4j.nn.Sequential;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * A deterministic autoencoder, plain ({@code ae}) or denoising ({@code dae}): an MLP encoder
 * {@code z = f(x̃)} and a mirrored MLP decoder {@code x̂ = g(z)}, trained to minimise the squared
 * error to the clean input, summed over the features and averaged over the batch:
 *
 * <pre>
 * L = (1/n) Σ_i ‖g(f(x̃_i)) − x_i‖²,   x̃ ~ q(x̃ | x) in training, x̃ = x otherwise
 * </pre>
 *
 * <p>The plain autoencoder is this class with {@link Corruption#none()}; the denoising one
 * (Vincent et al.) has masking or Gaussian noise, applied only when
 * {@link StepContext#training()} is set. The decoder output goes through a sigmoid for data in
 * [0, 1] (setting {@code output}).
 *
 * <p>On a table (setting {@code table-columns}, from the stored schema) the squared error is
 * replaced by the loss each column group calls for ({@link TableLoss}: squared error for
 * numeric, binary cross-entropy for binary, softmax cross-entropy per categorical block), each
 * group's term logged as {@code reconstruction-numeric}, {@code -binary}, {@code -categorical};
 * the reconstruction is then each column in data space (sigmoid, softmax) and {@code output}
 * is not used.
 */
public final class Autoencoder extends Model
        implements Encoder, Decoder, Reconstructor, AnomalyScorer {

    private final Architecture arch;
    private final int latent;
    private final Activation output;
    private final Corruption corruption;
    private final TableLoss table;
    private final Sequential encoder;
    private final Sequential decoder;

    Autoencoder(String typeName, ModelConfig config, Backend backend, Architecture arch,
            int latent, Activation activation, Activation output, Corruption corruption,
            TableLoss table, Rng rng) {
        super(typeName, config, backend);
        this.table = table;
        this.arch = arch;
        this.latent = latent;
        this.output = output;
        this.corruption = corruption;
        this.encoder = addModule("encoder", arch.encoder(backend, 0, latent, activation, rng));
        this.decoder = addModule("decoder", arch.decoder(backend, latent, activation, rng));
    }

    @Override
    public Shape inputShape() {
        return arch.inputShape();
    }

    @Override
    public int latentSize() {
        return latent;
    }

    /** The noise put on the input in training ({@link Corruption.None} for a plain AE). */
    public Corruption corruption() {
        return corruption;
    }

    @Override
    public Loss loss(Batch batch, StepContext context) {
        arch.checkExamples(batch.x().shape());
        Variable x = Variable.constant(batch.x());
        // x̃ ~ q(x̃ | x): corrupt only while training, so evaluation measures clean reconstruction.
        Variable corrupted = context.training() ? corruption.apply(x, context.rng()) : x;
        if (table != null) {
            // per column group: squared error, binary or softmax cross-entropy, on raw outputs
            Map<String, Variable> groups = table.perGroup(decoder.forward(encode(corrupted)),
                    arch.rows(x));
            Variable total = null;
            for (Variable g : groups.values()) {
                total = total == null ? g : total.add(g);
            }
            Variable loss = total.mean();
            Loss result = Loss.of(loss).with("reconstruction", loss);
            for (Map.Entry<String, Variable> e : groups.entrySet()) {
                result = result.with("reconstruction-" + e.getKey(), e.getValue().mean());
            }
            return result;
        }
        Variable reconstruction = decode(encode(corrupted));
        // L = (1/n) Σ_i ‖x̂_i − x_i‖² : MSE summed over features, averaged over the batch
        Variable mse = Losses.mseSum(reconstruction, arch.rows(x));
        return Loss.of(mse).with("reconstruction", mse);
    }

    /** {@code z = f(x)}, recording gradients unless in no-grad mode. */
    /** The code of each example (flat rows or examples of the model's shape). */
    public Variable encode(Variable x) {
        return encoder.forward(arch.encoderInput(x, null));
    }

    /**
     * {@code x̂ = σ(g(z))} (or {@code g(z)} with output identity); on a table, each column in
     * data space (numeric as is, sigmoid of a binary logit, softmax of a categorical block).
     */
    public Variable decode(Variable z) {
        if (table != null) {
            return table.mean(decoder.forward(z));
        }
        return output.apply(decoder.forward(z));
    }

    @Override
    public Tensor encode(Batch batch) {
        arch.checkExamples(batch.x().shape());
        return withoutGradient(() -> encode(Variable.constant(batch.x())));
    }

    @Override
    public Tensor decode(Tensor z, int[] labels) {
        if (z.shape().rank() != 2 || z.shape().dim(1) != latent) {
            throw new IllegalArgumentException(typeName() + " decodes codes of width " + latent
                    + " (setting 'latent'), got " + z.shape());
        }
        return withoutGradient(() -> decode(Variable.constant(z)));
    }

    @Override
    public Tensor reconstruct(Batch batch) {
        arch.checkExamples(batch.x().shape());
        return withoutGradient(() -> decode(encode(Variable.constant(batch.x()))));
    }

    /** {@link Scores#RECONSTRUCTION_ERROR} only: {@code s(x) = Σ_j (x_j − x̂_j)²}. */
    @Override
    public List<String> scoreNames() {
        return List.of(Scores.RECONSTRUCTION_ERROR);
    }

    /**
     * {@code s(x) = Σ_j (x_j − g(f(x))_j)²}, the clean input's squared error summed over the
     * features: the training loss of one example (without the corruption of a DAE).
     */
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
        if (!Scores.RECONSTRUCTION_ERROR.equals(name)) {
            throw Scores.unknown(typeName(), name, scoreNames());
        }
    }

    private Tensor withoutGradient(Supplier<Variable> f) {
        try (TensorScope scope = backend().newScope(); NoGrad ignored = NoGrad.enter()) {
            return scope.keep(f.get().value());
        }
    }

    @Override
    public String toString() {
        return typeName() + "(" + arch + ", " + arch.inputSize() + " -> " + latent + ", " + corruption + ")";
    }
}
