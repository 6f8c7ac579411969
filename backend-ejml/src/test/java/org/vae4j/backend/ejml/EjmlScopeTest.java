package org.vae4j.backend.ejml;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.ScopeChecks;

/** The conformance kit's {@link ScopeChecks} on EJML. */
class EjmlScopeTest extends ScopeChecks {
    @Override
    protected Backend backend() {
        return Backends.get("ejml");
    }
}
