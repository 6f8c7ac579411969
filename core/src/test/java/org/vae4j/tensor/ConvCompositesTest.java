package org.vae4j.tensor;

import org.vae4j.testkit.ConvChecks;

/** The convolution composites: the reference backend declares no convolution family. */
class ConvCompositesTest extends ConvChecks {

    private final Backend be = new ReferenceBackend();

    @Override
    protected Backend backend() {
        return be;
    }
}
