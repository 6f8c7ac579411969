package org.vae4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.loss.Losses;
import org.vae4j.nn.Activation;
import org.vae4j.nn.Mlp;
import org.vae4j.nn.Sequential;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.ReferenceBackend;

/** The pieces together: an MLP trained with Adam on a 2-D problem, one scope per step. */
class TrainingTest {

    private static final int POINTS = 64;

    private final Backend be = new ReferenceBackend();

    /** XOR of the quadrants: label 1 where {@code x·y > 0}, points kept off the axes. */
    private Tensor[] xorData(Rng rng) {
        float[] xs = new float[POINTS * 2];
        float[] ys = new float[POINTS];
        for (int i = 0; i < POINTS; i++) {
            float a = (float) ((rng.nextDouble() * 0.8 + 0.2) * (rng.nextDouble() < 0.5 ? -1 : 1));
            float b = (float) ((rng.nextDouble() * 0.8 + 0.2) * (rng.nextDouble() < 0.5 ? -1 : 1));
            xs[2 * i] = a;
            xs[2 * i + 1] = b;
            ys[i] = a * b > 0 ? 1 : 0;
        }
        return new Tensor[] {be.fromArray(xs, POINTS, 2), be.fromArray(ys, POINTS, 1)};
    }

    private float trainStep(Sequential net, Optimizer opt, Variable x, Variable y) {
        try (TensorScope step = be.newScope()) {
            Variable loss = Losses.bceWithLogitsSum(net.forward(x), y);
            loss.backward();
            opt.step();
            return loss.item();
        }
    }

    @Test
    void aSmallMlpLearnsXor() {
        Rng rng = new Rng(11);
        Tensor[] data = xorData(rng);
        Variable x = Variable.constant(data[0]);
        Variable y = Variable.constant(data[1]);
        try (Sequential net = Mlp.builder().setSizes(2, 16, 1).optHidden(Activation.TANH)
                .build(be, rng); Adam adam = new Adam(net.parameters(), 0.05)) {
            float first = trainStep(net, adam, x, y);
            float last = first;
            for (int i = 1; i < 300; i++) {
                last = trainStep(net, adam, x, y);
            }
            assertTrue(first > 0.6f, "starts near log 2 nats, got " + first);
            assertTrue(last < 0.05f, "after 300 Adam steps the loss is below 0.05 nats, got "
                    + last);
            try (TensorScope s = be.newScope(); NoGrad ng = NoGrad.enter()) {
                float[] logits = net.forward(x).toArray();
                float[] labels = y.toArray();
                int correct = 0;
                for (int i = 0; i < POINTS; i++) {
                    correct += (logits[i] > 0) == (labels[i] == 1) ? 1 : 0;
                }
                assertEquals(POINTS, correct, "every training point classified correctly");
            }
        } finally {
            data[0].close();
            data[1].close();
        }
    }

    @Test
    void twoHundredScopedStepsLeaveOnlyParametersAndOptimizerState() {
        Rng rng = new Rng(12);
        long before = be.liveTensors();
        Tensor[] data = xorData(rng);
        Variable x = Variable.constant(data[0]);
        Variable y = Variable.constant(data[1]);
        try (Sequential net = Mlp.builder().setSizes(2, 8, 8, 1).build(be, rng);
             Adam adam = new Adam(net.parameters(), 0.01)) {
            for (int i = 0; i < 200; i++) {
                trainStep(net, adam, x, y);
            }
            int params = net.parameters().size();
            assertEquals(6, params);
            assertEquals(2 * params, adam.stateTensorCount());
            assertEquals(before + 2 + params + adam.stateTensorCount(), be.liveTensors(),
                    "data + parameters + Adam's two moments per parameter, nothing else");
        } finally {
            data[0].close();
            data[1].close();
        }
        assertEquals(before, be.liveTensors());
    }

    @Test
    void theSameSeedGivesTheSameTrainedWeights() {
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            Rng rng = new Rng(5);
            Tensor[] data = xorData(rng);
            try (Sequential net = Mlp.builder().setSizes(2, 4, 1).build(be, rng);
                 Adam adam = new Adam(net.parameters(), 0.01)) {
                for (int i = 0; i < 10; i++) {
                    trainStep(net, adam, Variable.constant(data[0]), Variable.constant(data[1]));
                }
                runs[r] = net.parameters().get("0.weight").toArray();
            } finally {
                data[0].close();
                data[1].close();
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(runs[0], runs[1], 0f);
        assertEquals(Shape.of(2, 4).size(), runs[0].length);
    }
}
