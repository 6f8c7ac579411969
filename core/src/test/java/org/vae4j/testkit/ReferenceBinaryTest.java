package org.vae4j.testkit;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;

/** Runs {@link BinaryChecks} on a second reference backend: proves the kit itself sane. */
class ReferenceBinaryTest extends BinaryChecks {

    private static final Backend BACKEND = new ReferenceBackend();

    @Override
    protected Backend backend() {
        return BACKEND;
    }
}
