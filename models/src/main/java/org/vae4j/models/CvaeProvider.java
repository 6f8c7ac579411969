package org.vae4j.models;

import static org.vae4j.models.Options.CLASSES;

import java.util.ArrayList;
import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code cvae}: the {@link VariationalAutoencoder} conditioned on a class label (Sohn et al.):
 * the one-hot label is appended to the encoder input and to z. It trains on labelled data only.
 */
public final class CvaeProvider implements ModelProvider {

    static final List<ModelOption> OPTIONS;

    static {
        List<ModelOption> o = new ArrayList<>(VaeProvider.OPTIONS);
        o.add(CLASSES);
        OPTIONS = List.copyOf(o);
    }

    @Override
    public String name() {
        return "cvae";
    }

    @Override
    public String description() {
        return "conditional VAE: the one-hot label joins the encoder input and the latent code";
    }

    @Override
    public List<ModelOption> options() {
        return OPTIONS;
    }

    @Override
    public Model create(ModelConfig config, Backend backend, Rng rng) {
        Settings s = Settings.of(name(), OPTIONS, config);
        return VaeProvider.build(s, s.positiveInt(CLASSES), KlPenalty.standard(), backend, rng);
    }
}
