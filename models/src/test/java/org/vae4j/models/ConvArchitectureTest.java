package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vae4j.data.Batch;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.model.StepContext;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/** {@code arch=conv}: the reference conv VAE, conditioning, the other models, bad settings. */
class ConvArchitectureTest {

    private final Backend be = Backends.get("ejml");
    private TensorScope scope;

    @BeforeEach
    void openScope() {
        scope = be.newScope();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    private Model conv(String type, Map<String, ?> extra) {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("arch", "conv"));
        settings.putAll(extra);
        return Models.create(type, ModelConfig.of(settings), be, 7);
    }

    private Tensor images(int n, long seed) {
        return new Rng(seed).uniform(be, Shape.of(n, 1, 28, 28), 0, 1);
    }

    /** Images of few degrees of freedom: {@code sigmoid(3 sin(a·row + b·col + c))} each. */
    private Tensor waves(int n) {
        Rng rng = new Rng(11);
        float[] abc = rng.uniform(3 * n, -0.5, 0.5);
        float[] v = new float[n * 784];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    double t = abc[3 * i] * r + abc[3 * i + 1] * c + 10 * abc[3 * i + 2];
                    v[i * 784 + r * 28 + c] = (float) (1 / (1 + Math.exp(-3 * Math.sin(t))));
                }
            }
        }
        return be.fromArray(v, n, 1, 28, 28);
    }

    /** PyTorch's count for the same layers (examples/reference/pytorch_conv_vae.py). */
    @Test
    void theDefaultConvVaeIsTheReferenceModel() {
        Model m = conv("vae", Map.of());
        assertEquals(220_385, m.parameterCount(), "the reference conv VAE's parameters");
        assertEquals(16, m.config().getInt("latent", 0), "latent 16 by default for conv");
        assertEquals(Shape.of(1, 28, 28), m.inputShape());
        assertEquals(List.of("encoder.0.weight", "encoder.0.bias", "encoder.2.weight",
                "encoder.2.bias", "encoder.5.weight", "encoder.5.bias", "decoder.0.weight",
                "decoder.0.bias", "decoder.3.weight", "decoder.3.bias", "decoder.5.weight",
                "decoder.5.bias"), List.copyOf(m.parameters().keySet()));
        assertEquals(Shape.of(64, 32, 4, 4), m.parameters().get("encoder.2.weight").shape());
        assertEquals(Shape.of(32, 1, 4, 4), m.parameters().get("decoder.5.weight").shape());
        Model mlp = Models.create("vae", ModelConfig.of(Map.of()), be, 7);
        assertEquals(20, mlp.config().getInt("latent", 0), "the MLP keeps latent 20");
        assertEquals(20, conv("vae", Map.of("latent", 20)).config().getInt("latent", 0),
                "a given latent wins");
    }

    @Test
    void imagesAndFlatRowsOfTheSameValuesGiveTheSameLoss() {
        Model m = conv("vae", Map.of());
        Tensor x = images(3, 1);
        double fromImages = m.loss(new Batch(x), StepContext.training(0, new Rng(4))).values()
                .get("loss");
        double fromRows = m.loss(new Batch(be.reshape(x, Shape.of(3, 784))),
                StepContext.training(0, new Rng(4))).values().get("loss");
        assertEquals(fromImages, fromRows, 0.0);
        Tensor reconstruction = ((VariationalAutoencoder) m).reconstruct(new Batch(x));
        assertEquals(Shape.of(3, 784), reconstruction.shape(), "decoded as flat rows");
    }

    @Test
    void theConditionalVaeTakesTheLabelAsChannelsAndBesideZ() {
        Model m = conv("cvae", Map.of());
        assertEquals(Shape.of(32, 11, 4, 4), m.parameters().get("encoder.0.weight").shape(),
                "one image channel and ten label channels");
        assertEquals(Shape.of(26, 3136), m.parameters().get("decoder.0.weight").shape(),
                "z (16) and the label (10)");
        Batch b = new Batch(images(2, 2), new int[] {3, 7});
        double loss = m.loss(b, StepContext.training(0, new Rng(1))).values().get("loss");
        assertTrue(Double.isFinite(loss), "loss " + loss);
    }

    @Test
    void aConvAutoencoderWithBatchNormLearns() {
        Model m = conv("ae", Map.of("channels", List.of(8, 16), "norm", "batch", "latent", 8));
        Batch b = new Batch(waves(8));
        FewSteps run = FewSteps.train(m, b, 60, 5e-3);
        assertTrue(run.last() < 0.5 * run.first(), "reconstruction: " + run);
        assertTrue(m.buffers().containsKey("encoder.1.running_mean"), m.buffers().keySet()
                .toString());
    }

    @Test
    void oddImageSizesGoBackToTheirSize() {
        Model m = conv("dae", Map.of("image", List.of(3, 13, 10), "channels", List.of(4, 6),
                "kernel", 3, "norm", "group"));
        Tensor x = new Rng(9).uniform(be, Shape.of(2, 3, 13, 10), 0, 1);
        Tensor r = ((Autoencoder) m).reconstruct(new Batch(x));
        assertEquals(Shape.of(2, 390), r.shape());
    }

    @Test
    void badShapesAndSettingsAreNamed() {
        Model m = conv("vae", Map.of());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> m.loss(new Batch(be.zeros(Shape.of(2, 3, 28, 28))),
                        StepContext.training(0, new Rng(1))));
        assertEquals("vae (arch conv) expects images of shape (1x28x28) (setting 'image'), or"
                + " rows of 784 values, got batch (2x3x28x28)", batch.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> conv("vae", Map.of("image", List.of(1, 3, 3), "channels",
                        List.of(8, 8, 8))));
        assertTrue(small.getMessage().startsWith("vae: the image (1x3x3) is too small for 3"
                + " stride-2 stages of kernel 4 (settings 'image', 'channels', 'kernel')"),
                small.getMessage());
        IllegalArgumentException image = assertThrows(IllegalArgumentException.class,
                () -> conv("ae", Map.of("image", List.of(28, 28))));
        assertEquals("ae: setting 'image' must be channels, height and width (three numbers,"
                + " e.g. 1 28 28), got [28, 28]", image.getMessage());
    }
}
