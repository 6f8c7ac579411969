package org.vae4j.examples.sparse;

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
import org.vae4j.nn.Mlp;
import org.vae4j.nn.Sequential;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * A sparse autoencoder (Ng, "Sparse autoencoder", CS294A notes): an autoencoder whose code is
 * pushed towards few active units by an L1 penalty on the code's activations.
 *
 * <pre>
 * h = relu(enc(x)),   x̂ = sigmoid(dec(h))
 * L = (1/n) Σ_i [ ‖x_i − x̂_i‖² + λ ‖h_i‖₁ ]
 * </pre>
 *
 * <p>It lives outside the {@code models} module on purpose: it uses only core's public API and is
 * registered through {@code META-INF/services/org.vae4j.model.ModelProvider}, so
 * {@code Models.create("sparse-ae", ...)} and {@code vae4j train --model sparse-ae} find it like a
 * built-in model.
 */
public final class SparseAutoencoder extends Model implements Encoder, Decoder, Reconstructor {

    private final int input;
    private final int latent;
    private final double sparsity;
    private final Sequential encoder;
    private final Sequential decoder;

    SparseAutoencoder(ModelConfig config, Backend backend, int input, int[] hidden, int latent,
            double sparsity, Rng rng) {
        super(SparseAutoencoderProvider.NAME, config, backend);
        this.input = input;
        this.latent = latent;
        this.sparsity = sparsity;
        this.encoder = addModule("encoder", Mlp.builder().setSizes(sizes(input, hidden, latent))
                .optHidden(Activation.RELU).optOutput(Activation.RELU).build(backend, rng));
        this.decoder = addModule("decoder", Mlp.builder()
                .setSizes(sizes(latent, reversed(hidden), input))
                .optHidden(Activation.RELU).optOutput(Activation.SIGMOID).build(backend, rng));
    }

    @Override
    public Shape inputShape() {
        return Shape.of(input);
    }

    @Override
    public int latentSize() {
        return latent;
    }

    @Override
    public Loss loss(Batch batch, StepContext context) {
        checkWidth(batch);
        Variable x = Variable.constant(batch.x());
        Variable h = encoder.forward(x);
        // ‖x − x̂‖², summed over pixels, averaged over the batch
        Variable reconstruction = Losses.mseSum(decoder.forward(h), x);
        // λ ‖h‖₁, summed over code units, averaged over the batch (h ≥ 0 after the relu)
        Variable activity = h.sum().div(batch.size()).mul((float) sparsity);
        return Loss.of(reconstruction.add(activity))
                .with("reconstruction", reconstruction)
                .with("sparsity", activity);
    }

    @Override
    public Tensor encode(Batch batch) {
        checkWidth(batch);
        try (TensorScope scope = backend().newScope(); NoGrad ignored = NoGrad.enter()) {
            return scope.keep(encoder.forward(Variable.constant(batch.x())).value());
        }
    }

    @Override
    public Tensor decode(Tensor z, int[] labels) {
        try (TensorScope scope = backend().newScope(); NoGrad ignored = NoGrad.enter()) {
            return scope.keep(decoder.forward(Variable.constant(z)).value());
        }
    }

    @Override
    public Tensor reconstruct(Batch batch) {
        checkWidth(batch);
        try (TensorScope scope = backend().newScope(); NoGrad ignored = NoGrad.enter()) {
            Variable h = encoder.forward(Variable.constant(batch.x()));
            return scope.keep(decoder.forward(h).value());
        }
    }

    private void checkWidth(Batch batch) {
        if (batch.x().shape().dim(1) != input) {
            throw new IllegalArgumentException(typeName() + " expects inputs of width " + input
                    + " (setting 'input'), got a batch of shape " + batch.x().shape());
        }
    }

    private static int[] sizes(int first, int[] middle, int last) {
        int[] s = new int[middle.length + 2];
        s[0] = first;
        System.arraycopy(middle, 0, s, 1, middle.length);
        s[s.length - 1] = last;
        return s;
    }

    private static int[] reversed(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }
}
