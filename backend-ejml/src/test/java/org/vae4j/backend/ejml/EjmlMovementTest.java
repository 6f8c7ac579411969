package org.vae4j.backend.ejml;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.MovementChecks;

/** The conformance kit's {@link MovementChecks} on EJML. */
class EjmlMovementTest extends MovementChecks {
    @Override
    protected Backend backend() {
        return Backends.get("ejml");
    }
}
