package org.vae4j.backend.nd4j;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.ScopeChecks;

/** Runs {@link ScopeChecks} on the ND4J backend. */
class Nd4jScopeTest extends ScopeChecks {

    @Override
    protected Backend backend() {
        return Backends.get("nd4j");
    }
}
