package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.vae4j.data.Dataset;
import org.vae4j.data.Mnist;

/**
 * MNIST for the commands, loaded once per cache folder and process (a data set is immutable, so
 * the tests' many commands share one copy), fetched into the cache on first use.
 */
final class MnistData {

    static final String NAME = "mnist";

    private static final Map<String, Dataset> LOADED = new ConcurrentHashMap<>();

    private MnistData() {
    }

    /** The 60,000 training images, or the first {@code limit} of them. */
    static Dataset train(Path cacheDir, Integer limit) throws IOException {
        Dataset all = load(cacheDir, Mnist.Split.TRAIN);
        return limit == null ? all : all.take(limit);
    }

    /** The 10,000 test images. */
    static Dataset test(Path cacheDir) throws IOException {
        return load(cacheDir, Mnist.Split.TEST);
    }

    private static Dataset load(Path cacheDir, Mnist.Split split) throws IOException {
        Path root = (cacheDir != null ? cacheDir : Mnist.defaultCacheRoot()).toAbsolutePath()
                .normalize();
        String key = root + "#" + split;
        Dataset d = LOADED.get(key);
        if (d == null) {
            d = Mnist.at(root).load(split);
            LOADED.put(key, d);
        }
        return d;
    }
}
