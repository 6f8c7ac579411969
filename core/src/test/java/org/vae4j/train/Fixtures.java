package org.vae4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.random.Rng;

/** Small synthetic data and helpers shared by the training tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** {@code rows} examples of 6 values, a low-rank pattern plus noise. */
    static Dataset data(String name, int rows, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[rows * 6];
        for (int r = 0; r < rows; r++) {
            double a = rng.nextGaussian();
            double b = rng.nextGaussian();
            for (int c = 0; c < 6; c++) {
                x[r * 6 + c] = (float) (a * Math.sin(c + 1) + b * Math.cos(c) + 0.1
                        * rng.nextGaussian());
            }
        }
        return Dataset.unlabelled(name, x, 6);
    }

    /** 50 rows: with batch 8, 7 batches per epoch, the last of 2. */
    static Dataset train() {
        return data("train", 50, 11);
    }

    static Dataset test() {
        return data("test", 13, 12);
    }

    static ModelConfig config() {
        return ModelConfig.empty().with("input", 6).with("hidden", 3);
    }

    /** Every parameter's and buffer's values, by name. */
    static Map<String, float[]> weights(Model model) {
        Map<String, float[]> w = new LinkedHashMap<>();
        model.state().forEach((k, p) -> w.put(k, p.toArray()));
        return w;
    }
}
