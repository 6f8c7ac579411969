package org.vae4j.models;

import org.vae4j.nn.Activation;
import org.vae4j.nn.Mlp;
import org.vae4j.nn.Sequential;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/** The encoder and decoder networks the built-in models are configured with. */
final class Networks {

    private Networks() {
    }

    /** An MLP {@code in -> hidden... -> out} with {@code activation} between layers. */
    static Sequential encoder(Backend backend, int in, int[] hidden, int out,
            Activation activation, Rng rng) {
        return Mlp.builder().setSizes(widths(in, hidden, out, false)).optHidden(activation)
                .build(backend, rng);
    }

    /** The mirror image: an MLP {@code in -> reversed hidden... -> out}. */
    static Sequential decoder(Backend backend, int in, int[] hidden, int out,
            Activation activation, Rng rng) {
        return Mlp.builder().setSizes(widths(in, hidden, out, true)).optHidden(activation)
                .build(backend, rng);
    }

    private static int[] widths(int in, int[] hidden, int out, boolean reversed) {
        int[] w = new int[hidden.length + 2];
        w[0] = in;
        for (int i = 0; i < hidden.length; i++) {
            w[i + 1] = hidden[reversed ? hidden.length - 1 - i : i];
        }
        w[w.length - 1] = out;
        return w;
    }
}
