package org.vae4j.backend.ejml;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.MatmulChecks;

/** The conformance kit's {@link MatmulChecks} on EJML. */
class EjmlMatmulTest extends MatmulChecks {
    @Override
    protected Backend backend() {
        return Backends.get("ejml");
    }
}
