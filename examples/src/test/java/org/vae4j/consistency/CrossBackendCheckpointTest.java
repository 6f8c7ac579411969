package org.vae4j.consistency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.Models;
import org.vae4j.model.StepContext;
import org.vae4j.models.VqVae;
import org.vae4j.optim.Adam;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.Optimizers;
import org.vae4j.train.StepEnvironment;
import org.vae4j.train.StepRandom;
import org.vae4j.train.TrainingStep;
import org.vae4j.train.TrainerState;

/**
 * A checkpoint written on one backend is the same model on every other: trained a few steps on
 * backend A and saved with {@link Checkpoint#save}, it loads with {@link Checkpoint#loadModel}
 * on every backend B (and on the reference) with bit-identical weights and buffers, gives A's
 * loss and terms on a held-out batch within {@link CrossBackendConsistencyTest#LOSS_TOLERANCE},
 * and, restored with its Adam state by {@link Checkpoint#restore}, takes the next step as A does.
 */
class CrossBackendCheckpointTest {

    static final long SEED = CrossBackendConsistencyTest.SEED;
    static final int STEPS = 3;

    static final List<ConsistencyCase> CASES = List.of(
            ConsistencyCase.of("vae (classic 784-400-20)", "vae", Map.of(), STEPS),
            // EMA statistics and the prior are buffers: checkpoints carry them too
            ConsistencyCase.of("vq-vae K=16 ema", "vq-vae",
                    Map.of("codebook-size", 16, "ema", true), STEPS));

    static final ConsistencyBatch TRAIN = CrossBackendConsistencyTest.DATA;
    static final ConsistencyBatch HELD_OUT = ConsistencyBatch.load(64, 64);

    static Stream<Arguments> casesFromEveryBackend() {
        List<Arguments> args = new ArrayList<>();
        for (ConsistencyCase c : CASES) {
            for (String b : CrossBackendConsistencyTest.backends()) {
                args.add(Arguments.of(c, b));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} saved on {1}")
    @MethodSource("casesFromEveryBackend")
    void checkpointLoadsOnEveryOtherBackendWithTheSameLossAndNextStep(ConsistencyCase c,
            String source, @TempDir Path runDirectory) throws IOException {
        Backend from = Backends.get(source);
        Path checkpoint;
        Map<String, float[]> saved = new LinkedHashMap<>();
        Map<String, Double> sourceLoss;
        int[] sourceCodes;
        Map<String, float[]> sourceNext;
        try (Model model = Models.create(c.type(), c.config(), from, new Rng(SEED));
                Adam adam = new Adam(model.parameters(), TrainingTrace.LEARNING_RATE)) {
            for (int s = 0; s < STEPS; s++) {
                step(model, adam, s);
            }
            TrainerState state = new TrainerState(0, STEPS, STEPS, SEED, TRAIN.rows(), 1,
                    TRAIN.rows(), source, c.type(), "Adam", TrainingTrace.LEARNING_RATE, Map.of(),
                    0, 0, List.of());
            checkpoint = Checkpoint.save(runDirectory, model, adam, state, 1);
            model.state().forEach((name, p) -> saved.put(name, p.toArray()));
            sourceCodes = codes(model);
            sourceLoss = evaluationLoss(model);
            step(model, adam, STEPS);
            sourceNext = download(model);
        }

        List<String> problems = new ArrayList<>();
        List<Backend> targets = new ArrayList<>();
        for (String b : CrossBackendConsistencyTest.backends()) {
            if (!b.equals(source)) {
                targets.add(Backends.get(b));
            }
        }
        targets.add(new ReferenceBackend());
        for (Backend to : targets) {
            String what = c + " saved on " + source + ", loaded on " + to.name();
            try (Model loaded = Checkpoint.loadModel(checkpoint, to)) {
                assertEquals(saved.keySet(), loaded.state().keySet(), what + ": names differ");
                loaded.state().forEach((name, p) -> assertArrayEquals(saved.get(name),
                        p.toArray(), what + ": " + name + " is not bit-identical to the saved one"));
                String codeProblem = compareCodes(what, sourceCodes, codes(loaded), loaded);
                if (codeProblem != null) {
                    problems.add(codeProblem);
                    continue;
                }
                Map<String, Double> loss = evaluationLoss(loaded);
                for (String term : sourceLoss.keySet()) {
                    Difference d = Difference.ofScalar(sourceLoss.get(term), loss.get(term));
                    if (!(d.relative() <= CrossBackendConsistencyTest.LOSS_TOLERANCE)) {
                        problems.add(String.format("%s: loss term '%s' differs from %s's %s"
                                + " (tolerance %.0e relative)", what, term, source, d.describe(source),
                                CrossBackendConsistencyTest.LOSS_TOLERANCE));
                    }
                }
            }
            if (!(to instanceof ReferenceBackend)) {
                problems.addAll(compareNextStep(c, what, to, checkpoint, saved, sourceNext));
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " disagreement(s):\n" + String.join("\n", problems));
        }
    }

    /** Restores weights and Adam state on {@code to}, takes step STEPS, compares with the source. */
    private static List<String> compareNextStep(ConsistencyCase c, String what, Backend to,
            Path checkpoint, Map<String, float[]> saved, Map<String, float[]> sourceNext)
            throws IOException {
        List<String> problems = new ArrayList<>();
        try (Model model = Models.create(c.type(), c.config(), to, new Rng(SEED + 1));
                Adam adam = new Adam(model.parameters(), TrainingTrace.LEARNING_RATE)) {
            Checkpoint.restore(checkpoint, model, adam);
            step(model, adam, STEPS);
            Map<String, float[]> next = download(model);
            for (String name : sourceNext.keySet()) {
                double moved = Difference.relativeToDisplacement(saved.get(name),
                        sourceNext.get(name), next.get(name));
                if (!(moved <= CrossBackendConsistencyTest.PARAMETER_TOLERANCE)) {
                    problems.add(String.format("%s: after restoring and one more step, %s differs"
                            + " from the source's by %.2e of its displacement (tolerance %.0e)",
                            what, name, moved, CrossBackendConsistencyTest.PARAMETER_TOLERANCE));
                }
            }
        }
        return problems;
    }

    /** One training step on the training batch, as the trainer takes step {@code s}. */
    private static void step(Model model, Adam adam, long s) {
        Backend be = model.backend();
        try (TensorScope scope = be.newScope()) {
            Batch batch = TRAIN.on(be);
            StepContext context = StepContext.training(s, StepRandom.forStep(SEED, s));
            Loss loss = TrainingStep.standard().run(StepEnvironment.of(model, batch, context,
                    Optimizers.of(adam)));
            model.afterStep(batch, loss, context);
        }
    }

    /** The loss and terms on the held-out batch, evaluation noise from a fixed generator. */
    private static Map<String, Double> evaluationLoss(Model model) {
        Backend be = model.backend();
        try (TensorScope scope = be.newScope(); NoGrad ignored = NoGrad.enter()) {
            Batch batch = HELD_OUT.on(be);
            return model.loss(batch, StepContext.evaluation(STEPS, StepRandom.forEvaluation(SEED,
                    0))).values();
        }
    }

    private static Map<String, float[]> download(Model model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        model.state().forEach((name, p) -> values.put(name, p.toArray()));
        return values;
    }

    /** A VQ-VAE's code choices on the held-out batch, or null for another model. */
    private static int[] codes(Model model) {
        if (!(model instanceof VqVae vq)) {
            return null;
        }
        try (TensorScope scope = model.backend().newScope()) {
            return vq.codes(HELD_OUT.on(model.backend()));
        }
    }

    /** Null if the code choices agree; else which vector differs, and whether it was a near-tie. */
    private static String compareCodes(String what, int[] want, int[] got, Model loaded) {
        if (want == null) {
            return null;
        }
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) {
                VqVae vq = (VqVae) loaded;
                int dim = vq.codebook().dim();
                float[] z;
                try (TensorScope scope = loaded.backend().newScope();
                        NoGrad ignored = NoGrad.enter()) {
                    z = vq.encodeVectors(Variable.constant(HELD_OUT.on(loaded.backend()).x()))
                            .toArray();
                }
                double margin = CodeChoices.margin(z, vq.codebook().embedding().toArray(), dim,
                        i);
                return String.format("%s: latent vector %d chose code %d, the source code %d;"
                        + " the closest call there is %.2e (relative): %s", what, i, got[i],
                        want[i], margin, margin < CodeChoices.NEAR_TIE ? "a TIE-FLIP" : "a REAL"
                                + " DISAGREEMENT");
            }
        }
        return null;
    }
}
