package org.vae4j.backend.ejml;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.UnaryChecks;

/** The conformance kit's {@link UnaryChecks} on EJML. */
class EjmlUnaryTest extends UnaryChecks {
    @Override
    protected Backend backend() {
        return Backends.get("ejml");
    }
}
