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
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainingResult;

/**
 * Shared set-up of the learning tests: real MNIST (from the data cache, fetched when missing),
 * the EJML backend, and a short run of the {@link Trainer} with Adam.
 */
final class MnistRuns {

    /** Training examples of the short runs: the first 10,000 of the training split. */
    static final int TRAIN_SUBSET = 10_000;

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

    /** Trains {@code model} with Adam for {@code epochs} over {@code data}, testing on {@code testData}. */
    static TrainingResult fit(Model model, Dataset data, Dataset testData, int epochs,
            int batchSize, double learningRate, long seed) {
        model.checkData(data);
        try (Adam adam = new Adam(model.parameters(), learningRate)) {
            long t0 = System.nanoTime();
            TrainingResult result = Trainer.builder().setModel(model).setOptimizer(adam)
                    .setTrainData(data).optTestData(testData).optBatchSize(batchSize)
                    .optEvalBatchSize(500).optEpochs(epochs).optSeed(seed)
                    .build().fit();
            System.out.printf("%s: %d steps in %.1f s; train %s; test %s%n", model.typeName(),
                    result.finalStep(), (System.nanoTime() - t0) / 1e9, result.finalTrain(),
                    result.finalTest());
            return result;
        }
    }
}
