package org.vae4j.models;

import static org.vae4j.models.Options.ACTIVATION;
import static org.vae4j.models.Options.ARCH;
import static org.vae4j.models.Options.CHANNELS;
import static org.vae4j.models.Options.AE_LATENT;
import static org.vae4j.models.Options.AE_TABLE_COLUMNS;
import static org.vae4j.models.Options.HIDDEN;
import static org.vae4j.models.Options.IMAGE;
import static org.vae4j.models.Options.INPUT;
import static org.vae4j.models.Options.KERNEL;
import static org.vae4j.models.Options.NORM;
import static org.vae4j.models.Options.OUTPUT;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.nn.Activation;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/** {@code ae}: the plain {@link Autoencoder}, trained on the squared reconstruction error. */
public final class AeProvider extends BuiltInProvider {

    /** The settings of {@code ae}, in the order {@code vae4j models ae} lists them. */
    public static final List<ModelOption> OPTIONS =
            List.of(INPUT, HIDDEN, ARCH, IMAGE, CHANNELS, KERNEL, NORM, AE_LATENT, ACTIVATION,
                    OUTPUT, AE_TABLE_COLUMNS);

    public AeProvider() {
        super("ae",
                "autoencoder: MLP encoder and decoder, squared reconstruction error",
                OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        return build(s, Corruption.none(), backend, rng);
    }

    /** The autoencoder the common settings describe, with {@code corruption} on its input. */
    static Autoencoder build(Settings s, Corruption corruption, Backend backend, Rng rng) {
        Architecture arch = Architecture.of(s, s.positiveInt(INPUT), s.layerSizes(HIDDEN));
        int latent = s.positiveInt(AE_LATENT);
        Activation activation = s.activation(ACTIVATION);
        Activation output = s.outputActivation(OUTPUT);
        String layout = s.string(AE_TABLE_COLUMNS);
        TableLoss table = null;
        if (!layout.isBlank()) {
            table = new TableLoss(layout);
            if (table.width() != s.positiveInt(INPUT)) {
                throw new IllegalArgumentException(s.model() + ": table-columns describes rows"
                        + " of " + table.width() + " features, but input is "
                        + s.positiveInt(INPUT));
            }
        }
        return new Autoencoder(s.model(), s.config(), backend, arch, latent, activation, output,
                corruption, table, rng);
    }
}
