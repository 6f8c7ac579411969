package org.vae4j.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.vae4j.data.Dataset;
import org.vae4j.data.Mnist;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.optim.Adam;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.train.Evaluator;
import org.vae4j.train.Optimizers;
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainingResult;

/**
 * Shared set-up of the learning tests: real MNIST (from the data cache, fetched when missing),
 * the EJML backend, short runs of the {@link Trainer} with Adam, and the reference numbers the
 * models are judged against.
 */
final class MnistRuns {

    /** Training examples of the short runs: the first 10,000 of the training split. */
    static final int TRAIN_SUBSET = 10_000;
    /** Batch size of the short runs. */
    static final int BATCH = 100;
    /** Epochs of the short runs over {@link #TRAIN_SUBSET}: 300 optimizer steps. */
    static final int EPOCHS = 3;
    /** Adam's learning rate. */
    static final double LEARNING_RATE = 1e-3;

    private static Dataset train;
    private static Dataset test;

    private MnistRuns() {
    }

    static Backend backend() {
        return Backends.get("ejml");
    }

    static synchronized Dataset train() {
        if (train == null) {
            try {
                train = Mnist.train();
            } catch (IOException e) {
                throw new UncheckedIOException("MNIST is needed by the learning tests", e);
            }
        }
        return train;
    }

    static synchronized Dataset test() {
        if (test == null) {
            try {
                test = Mnist.test();
            } catch (IOException e) {
                throw new UncheckedIOException("MNIST is needed by the learning tests", e);
            }
        }
        return test;
    }

    /** A model of {@code type} with {@code settings} on EJML, its weights from {@code seed}. */
    static Model create(String type, Map<String, ?> settings, long seed) {
        return Models.create(type, ModelConfig.of(settings), backend(), seed);
    }

    /** The short run: {@link #EPOCHS} epochs over the first {@link #TRAIN_SUBSET} examples. */
    static TrainingResult shortRun(Model model) {
        return fit(model, train().take(TRAIN_SUBSET), EPOCHS, BATCH, LEARNING_RATE, 1);
    }

    /**
     * Trains {@code model} with Adam for {@code epochs} over {@code data}, without evaluation
     * (one Adam per parameter group for a model that trains its parts separately).
     */
    static TrainingResult fit(Model model, Dataset data, int epochs, int batchSize,
            double learningRate, long seed) {
        model.checkData(data);
        try (Optimizers adam = Optimizers.forModel(model, learningRate, Adam::new)) {
            TrainingResult result = Trainer.builder().setModel(model).setOptimizers(adam)
                    .setTrainData(data).optBatchSize(batchSize).optEpochs(epochs).optSeed(seed)
                    .build().fit();
            System.out.printf("%s %s: %d steps in %.1f s; last epoch %s%n", model.typeName(),
                    model.config(), result.finalStep(), result.seconds(), result.finalTrain());
            return result;
        }
    }

    /** The loss and its terms over the whole test split (one-sample estimates for a VAE). */
    static Map<String, Double> evaluate(Model model) {
        return evaluate(model, 0);
    }

    /** As {@link #evaluate(Model)} with schedules (the β-VAE's capacity) at {@code step}. */
    static Map<String, Double> evaluate(Model model, long step) {
        Map<String, Double> values = new Evaluator(7).evaluate(model, test(), 500, step);
        System.out.printf("%s test: %s%n", model.typeName(), values);
        return values;
    }

    /**
     * The squared error per test image of predicting every image by the mean training image
     * ({@code Σ_j (x_j − m_j)²}, ≈ 52.7 on MNIST): what a model that learnt nothing about the
     * individual images achieves.
     */
    static double meanImageBaseline() {
        Dataset tr = train();
        int d = tr.features();
        double[] mean = new double[d];
        float[] rows = tr.rows(0, tr.size());
        for (int i = 0; i < rows.length; i++) {
            mean[i % d] += rows[i];
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= tr.size();
        }
        float[] t = test().rows(0, test().size());
        double sum = 0;
        for (int i = 0; i < t.length; i++) {
            double e = t[i] - mean[i % d];
            sum += e * e;
        }
        return sum / test().size();
    }
}
