package org.vae4j.testkit;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;

/** Runs {@link MemorySoakChecks} on a second reference backend: proves the kit itself sane. */
class ReferenceMemorySoakTest extends MemorySoakChecks {

    private static final Backend BACKEND = new ReferenceBackend();

    @Override
    protected Backend backend() {
        return BACKEND;
    }

    /** The reference is a slow oracle; a short run proves the loop itself sound. */
    @Override
    protected int soakSteps() {
        return 1000;
    }
}
