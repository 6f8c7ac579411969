package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.model.Generator;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.model.MultiOptimizerModel;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Mode;
import org.vae4j.optim.Adam;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.Optimizers;
import org.vae4j.train.StepEnvironment;
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainingResult;
import org.vae4j.train.TrainingStep;

/**
 * {@code aae}: its three parameter groups and optimizers, its phases (each updates only its
 * part), the discriminator's and generator's losses against their closed forms, the conv
 * configuration, and the refused settings.
 */
class AdversarialAutoencoderTest {

    private final Backend be = Backends.get("ejml");

    private AdversarialAutoencoder aae(Map<String, ?> settings, long seed) {
        return (AdversarialAutoencoder) Models.create("aae", ModelConfig.of(settings), be, seed);
    }

    private static final Map<String, Object> SMALL = Map.of("input", 12, "hidden", List.of(10),
            "latent", 3, "disc-hidden", List.of(8, 6));

    private Batch batch(int n, int width, long seed) {
        return new Batch(new Rng(seed).bernoulli(be, Shape.of(n, width), 0.4));
    }

    /** One step of the model's own training step, as the trainer runs it. */
    private static Loss step(Model m, Batch batch, long step, Optimizers opts) {
        StepContext context = StepContext.training(step, new Rng(100 + step));
        Loss loss = TrainingStep.forModel(m).run(StepEnvironment.of(m, batch, context, opts));
        m.zeroGrad();
        return loss;
    }

    @Test
    void itsThreeGroupsGetAnOptimizerEachOverTheirParts() {
        try (AdversarialAutoencoder m = aae(Map.of("disc-lr", 2e-4), 1);
                Optimizers opts = Optimizers.forModel(m, 1e-3, Adam::new)) {
            assertInstanceOf(MultiOptimizerModel.class, m);
            assertInstanceOf(Generator.class, m);
            assertEquals(List.of("autoencoder", "discriminator", "generator"), opts.names());
            assertEquals(1e-3, opts.get("autoencoder").learningRate());
            assertEquals(2e-4, opts.get("discriminator").learningRate());
            assertEquals(1e-3, opts.get("generator").learningRate(), "gen-lr 'run': the run's");
            assertEquals(List.of("autoencoder", "discriminator", "generator"),
                    m.parameterGroups().stream().map(MultiOptimizerModel.ParameterGroup::name)
                            .toList());
            assertEquals(8, m.latentSize());
            assertEquals(List.of(512, 512), m.config().get("disc-hidden"));
            assertTrue(m.parameters().keySet().stream().anyMatch(k -> k.startsWith(
                    "discriminator.")));
        }
    }

    @Test
    void theReconstructionPhaseIsOneAdamStepOfTheVaeLossWithBetaZeroOnEncoderAndDecoder() {
        Batch b = batch(16, 12, 3);
        Map<String, float[]> want = new java.util.LinkedHashMap<>();
        try (AdversarialAutoencoder twin = aae(SMALL, 7);
                Adam adam = new Adam(Optimizers.select(twin.parameters(), "encoder", "decoder"),
                        1e-3);
                TensorScope s = be.newScope()) {
            StepContext context = StepContext.training(0, new Rng(100));
            try (Mode mode = context.openMode()) {
                Loss loss = twin.loss(b, context);
                adam.backwardAndStep(loss.total());
            }
            twin.parameters().forEach((k, p) -> want.put(k, p.toArray()));
        }
        try (AdversarialAutoencoder m = aae(SMALL, 7);
                Optimizers opts = Optimizers.forModel(m, 1e-3, Adam::new);
                TensorScope s = be.newScope()) {
            Map<String, float[]> before = new java.util.LinkedHashMap<>();
            m.parameters().forEach((k, p) -> before.put(k, p.toArray()));
            Loss loss = step(m, b, 0, opts);
            assertEquals(List.of("loss", "reconstruction", "kl", "weighted-kl", "discriminator",
                    "generator"), List.copyOf(loss.values().keySet()));
            for (String k : m.parameters().keySet()) {
                float[] got = m.parameters().get(k).toArray();
                if (k.startsWith("decoder.")) {
                    // only phase 1 moves the decoder
                    assertArrayEquals(want.get(k), got, k);
                } else {
                    // the encoder moves in phases 1 and 3, the discriminator in phase 2
                    assertFalse(Arrays.equals(before.get(k), got), k + " moved");
                    assertFalse(k.startsWith("encoder.") && Arrays.equals(want.get(k), got),
                            k + ": the generator phase moved it beyond phase 1");
                }
            }
            opts.all().forEach(o -> assertEquals(1, o.stepCount()));
        }
    }

    @Test
    void theAdversarialTermsAreTheBinaryCrossEntropiesOfTheDiscriminatorsLogits() {
        try (AdversarialAutoencoder m = aae(SMALL, 2); TensorScope s = be.newScope();
                NoGrad ignored = NoGrad.enter()) {
            Variable real = Variable.constant(new Rng(4).normal(be, Shape.of(5, 3), 0, 1));
            Variable fake = Variable.constant(new Rng(5).normal(be, Shape.of(5, 3), 0.5, 2));
            float[] lr = m.discriminate(real).value().toArray();
            float[] lf = m.discriminate(fake).value().toArray();
            double d = 0;
            double g = 0;
            for (int i = 0; i < 5; i++) {
                // −log σ(l_real) − log(1 − σ(l_fake)), and −log σ(l_fake)
                d += -Math.log(sigmoid(lr[i])) - Math.log(1 - sigmoid(lf[i]));
                g += -Math.log(sigmoid(lf[i]));
            }
            assertEquals(d / 5, m.discriminatorLoss(real, fake).value().item(), 1e-5);
            assertEquals(g / 5, m.generatorLoss(fake).value().item(), 1e-5);
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void theEvaluationLossReportsEveryTermAndItsTotalIsTheReconstruction() {
        try (AdversarialAutoencoder m = aae(SMALL, 2); TensorScope s = be.newScope();
                NoGrad ignored = NoGrad.enter()) {
            Map<String, Double> v = m.loss(batch(8, 12, 1), StepContext.evaluation(0,
                    new Rng(3))).values();
            assertEquals(v.get("reconstruction"), v.get("loss"), 1e-6);
            // a discriminator that knows nothing yet: near 2 log 2 and log 2
            assertEquals(2 * Math.log(2), v.get("discriminator"), 0.3);
            assertEquals(Math.log(2), v.get("generator"), 0.3);
        }
    }

    @Test
    void theConvConfigurationBuildsAndLearnsAFewStepsInTheTrainer() {
        Rng rng = new Rng(11);
        float[] x = rng.bernoulli(be, Shape.of(64, 144), 0.3).toArray();
        Dataset data = Dataset.unlabelled("blobs", x, 144).withImageShape(12, 12);
        try (AdversarialAutoencoder m = aae(Map.of("arch", "conv", "image", List.of(1, 12, 12),
                "channels", List.of(4, 8), "latent", 4, "disc-hidden", List.of(16)), 7);
                Optimizers opts = Optimizers.forModel(m, 3e-3, Adam::new)) {
            assertEquals(Shape.of(1, 12, 12), m.inputShape());
            TrainingResult r = Trainer.builder().setModel(m).setOptimizers(opts)
                    .setTrainData(m.shaped(data)).optBatchSize(16).optEpochs(5).optSeed(1)
                    .build().fit();
            double first = r.epochs().get(0).train().get("reconstruction");
            double last = r.lastEpoch().train().get("reconstruction");
            assertTrue(last < first, "reconstruction " + first + " -> " + last);
            assertTrue(r.lastEpoch().train().containsKey("discriminator"));
            assertEquals(20, opts.get("discriminator").stepCount());
        }
    }

    @Test
    void withAccumulationEveryPhaseSumsItsGradientsOverTheGroupOfBatches() {
        Dataset data = Dataset.unlabelled("bits", new Rng(2).bernoulli(be, Shape.of(32, 12), 0.4)
                .toArray(), 12);
        try (AdversarialAutoencoder m = aae(SMALL, 7);
                Optimizers opts = Optimizers.forModel(m, 1e-3, Adam::new)) {
            // 4 batches an epoch, 2 epochs, an update every 2 batches
            TrainingResult r = Trainer.builder().setModel(m).setOptimizers(opts)
                    .setTrainData(data).optBatchSize(8).optEpochs(2).optSeed(1).optAccumulate(2)
                    .build().fit();
            assertEquals(8, r.finalStep());
            opts.all().forEach(o -> assertEquals(4, o.stepCount()));
            assertTrue(Double.isFinite(r.lastEpoch().train().get("generator")));
        }
    }

    @Test
    void anEmptyOrBadDiscriminatorSettingIsOneClearError() {
        assertEquals("aae: setting 'disc-hidden' must list the discriminator's hidden widths, at"
                + " least one in [1, 65536] (e.g. 512,512), got []",
                assertThrows(IllegalArgumentException.class,
                        () -> aae(Map.of("disc-hidden", List.of()), 1)).getMessage());
        assertEquals("aae: setting 'disc-hidden' must list the discriminator's hidden widths, at"
                + " least one in [1, 65536] (e.g. 512,512), got []",
                assertThrows(IllegalArgumentException.class,
                        () -> aae(Map.of("disc-hidden", ""), 1)).getMessage());
        String zero = assertThrows(IllegalArgumentException.class,
                () -> aae(Map.of("disc-hidden", List.of(512, 0)), 1)).getMessage();
        assertTrue(zero.startsWith("aae: setting 'disc-hidden'") && zero.contains("1"), zero);
        for (Object bad : List.of(0, -1e-3, "fast")) {
            String m = assertThrows(IllegalArgumentException.class,
                    () -> aae(Map.of("disc-lr", bad), 1)).getMessage();
            assertTrue(m.startsWith("aae: setting 'disc-lr' must be"), m);
            assertTrue(m.contains("run"), m);
        }
    }
}
