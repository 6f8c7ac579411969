package org.vae4j.backend.ejml;

import java.util.ArrayList;
import java.util.List;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.testkit.ConvCases;
import org.vae4j.testkit.ConvChecks;

/**
 * Runs {@link ConvChecks} on the EJML backend on two threads, with the reference conv VAE's
 * second layer added: large enough for EJML's concurrent product.
 */
class EjmlConvTest extends ConvChecks {

    private final Backend backend = new EjmlBackend(new BackendConfig(2));

    @Override
    protected Backend backend() {
        return backend;
    }

    @Override
    protected List<ConvCases.Conv> convolutions() {
        List<ConvCases.Conv> all = new ArrayList<>(ConvCases.convolutions());
        all.add(new ConvCases.Conv(Shape.of(16, 32, 14, 14), Shape.of(64, 32, 4, 4),
                ConvSpec.of(2, 1)));
        return all;
    }
}
