package org.vae4j.backend.ejml;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.TransferChecks;

/** The conformance kit's {@link TransferChecks} on EJML. */
class EjmlTransferTest extends TransferChecks {
    @Override
    protected Backend backend() {
        return Backends.get("ejml");
    }
}
