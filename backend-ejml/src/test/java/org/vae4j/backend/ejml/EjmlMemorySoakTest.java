package org.vae4j.backend.ejml;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.MemorySoakChecks;

/** The conformance kit's {@link MemorySoakChecks} on EJML. */
class EjmlMemorySoakTest extends MemorySoakChecks {
    @Override
    protected Backend backend() {
        return Backends.get("ejml");
    }
}
