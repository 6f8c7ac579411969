package org.vae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.MultiOptimizerModel;
import org.vae4j.optim.Adam;
import org.vae4j.optim.Sgd;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;

/**
 * A model that declares parameter groups and its own step is trained so by the plain trainer
 * wiring: {@link Optimizers#forModel} builds one optimizer per group, the trainer takes the
 * model's step when none is given, and a run of it resumes bit for bit.
 */
class MultiOptimizerModelTest {

    @TempDir
    Path dir;

    private final Backend backend = new ReferenceBackend();

    /** The tiny autoencoder whose encoder and decoder take turns, the decoder at its own rate. */
    static final class TakingTurns extends TinyAutoencoder implements MultiOptimizerModel {

        private final List<ParameterGroup> groups;

        TakingTurns(List<ParameterGroup> groups, Backend backend, Rng rng) {
            super(TYPE, Fixtures.config(), backend, rng);
            this.groups = groups;
        }

        @Override
        public List<ParameterGroup> parameterGroups() {
            return groups;
        }

        @Override
        public TrainingStep trainingStep() {
            return step -> {
                Loss loss = step.computeLoss();
                step.minimize(loss.total(), step.step() % 2 == 0 ? "encoder" : "decoder");
                return loss;
            };
        }
    }

    private static final List<MultiOptimizerModel.ParameterGroup> TURNS = List.of(
            MultiOptimizerModel.ParameterGroup.of("encoder", "encoder"),
            MultiOptimizerModel.ParameterGroup.of("decoder", "decoder").withLearningRate(0.05));

    private TakingTurns turns(long seed) {
        return new TakingTurns(TURNS, backend, new Rng(seed));
    }

    @Test
    void forModelBuildsOneOptimizerPerGroupOfTheRunsTypeAtTheGroupsRate() {
        try (TakingTurns m = turns(1);
                Optimizers opts = Optimizers.forModel(m, 0.01, Sgd::new)) {
            assertEquals(List.of("encoder", "decoder"), opts.names());
            assertInstanceOf(Sgd.class, opts.get("encoder"));
            assertEquals(0.01, opts.get("encoder").learningRate());
            assertEquals(0.05, opts.get("decoder").learningRate());
        }
        try (Model plain = new TinyAutoencoder(Fixtures.config(), backend, new Rng(1));
                Optimizers opts = Optimizers.forModel(plain, 0.01, Adam::new)) {
            assertEquals(List.of(Optimizers.DEFAULT), opts.names());
            assertSame(TrainingStep.standard(), TrainingStep.forModel(plain));
        }
    }

    @Test
    void aParameterInNoGroupOrAGroupOfNothingIsOneClearError() {
        try (TakingTurns m = new TakingTurns(List.of(MultiOptimizerModel.ParameterGroup.of(
                "encoder", "encoder")), backend, new Rng(1))) {
            assertEquals("tiny-ae: the parameters [decoder.bias, decoder.weight] are in none of"
                    + " its parameter groups, so nothing would train them",
                    assertThrows(IllegalArgumentException.class,
                            () -> Optimizers.forModel(m, 0.01, Adam::new)).getMessage());
        }
        try (TakingTurns m = new TakingTurns(List.of(MultiOptimizerModel.ParameterGroup.of(
                "critic", "critic")), backend, new Rng(1))) {
            assertEquals("tiny-ae: parameter group 'critic': no parameter is under 'critic'; the"
                    + " parameters are [encoder.weight, encoder.bias, decoder.weight,"
                    + " decoder.bias]", assertThrows(IllegalArgumentException.class,
                            () -> Optimizers.forModel(m, 0.01, Adam::new)).getMessage());
        }
        assertEquals("parameter group 'd': the learning rate must be a positive number, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> MultiOptimizerModel
                        .ParameterGroup.of("d", "decoder").withLearningRate(0)).getMessage());
        assertEquals("parameter group 'd' names no submodule", assertThrows(
                IllegalArgumentException.class, () -> MultiOptimizerModel.ParameterGroup.of("d"))
                .getMessage());
    }

    @Test
    void theTrainerRunsTheModelsStepAndResumesItBitForBit() {
        Map<String, float[]> want;
        try (TakingTurns m = turns(5); Optimizers opts = Optimizers.forModel(m, 0.01, Adam::new)) {
            Map<String, float[]> before = Fixtures.weights(m);
            // 7 batches an epoch, two epochs: the encoder takes the even steps, the decoder the odd
            Trainer.builder().setModel(m).setOptimizers(opts).setTrainData(Fixtures.train())
                    .optBatchSize(8).optEpochs(2).optSeed(1).build().fit();
            assertEquals(7, opts.get("encoder").stepCount());
            assertEquals(7, opts.get("decoder").stepCount());
            assertNotEquals(before.get("decoder.weight")[0], m.parameters()
                    .get("decoder.weight").toArray()[0]);
            want = Fixtures.weights(m);
        }
        Path run = dir.resolve("run");
        try (TakingTurns m = turns(5); Optimizers opts = Optimizers.forModel(m, 0.01, Adam::new)) {
            Trainer.builder().setModel(m).setOptimizers(opts).setTrainData(Fixtures.train())
                    .optBatchSize(8).optEpochs(1).optSeed(1).optRunDirectory(run).build().fit();
        }
        try (TakingTurns m = turns(99); Optimizers opts = Optimizers.forModel(m, 0.01, Adam::new)) {
            Trainer.builder().setModel(m).setOptimizers(opts).setTrainData(Fixtures.train())
                    .optBatchSize(8).optEpochs(2).optSeed(1).optRunDirectory(run)
                    .optResumeFrom(run).build().fit();
            Map<String, float[]> got = Fixtures.weights(m);
            want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k));
        }
    }

    @Test
    void oneOptimizerForAModelOfGroupsIsRefusedBeforeTraining() {
        try (TakingTurns m = turns(1); Adam all = new Adam(m.parameters(), 0.01)) {
            assertEquals("trainer: the tiny-ae model trains its parts [encoder, decoder] with an"
                    + " optimizer each, but the trainer has [default]; build them with"
                    + " Optimizers.forModel(model, learningRate, Adam::new)",
                    assertThrows(IllegalStateException.class, () -> Trainer.builder()
                            .setModel(m).setOptimizer(all).setTrainData(Fixtures.train())
                            .build()).getMessage());
        }
    }
}
