package org.vae4j.testkit;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;

/** Runs {@link FamilyChecks} on a reference backend, which has the core family alone. */
class ReferenceFamilyTest extends FamilyChecks {

    private static final Backend BACKEND = new ReferenceBackend();

    @Override
    protected Backend backend() {
        return BACKEND;
    }
}
