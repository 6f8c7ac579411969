package org.vae4j.models;

import static org.vae4j.models.Options.CLASSES;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code cvae}: the {@link VariationalAutoencoder} conditioned on a class label (Sohn et al.):
 * the one-hot label is appended to the encoder input and to z. It trains on labelled data only.
 */
public final class CvaeProvider extends BuiltInProvider {

    /** The settings of {@code cvae}, in the order {@code vae4j models cvae} lists them. */
    public static final List<ModelOption> OPTIONS = extend(VaeProvider.OPTIONS, CLASSES);

    public CvaeProvider() {
        super("cvae",
                "conditional VAE: the one-hot label joins the encoder input and the latent code",
                OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        return VaeProvider.build(s, s.positiveInt(CLASSES), KlPenalty.standard(), backend, rng);
    }
}
