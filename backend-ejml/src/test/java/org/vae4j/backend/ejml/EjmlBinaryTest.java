package org.vae4j.backend.ejml;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.BinaryChecks;

/** The conformance kit's {@link BinaryChecks} on EJML. */
class EjmlBinaryTest extends BinaryChecks {
    @Override
    protected Backend backend() {
        return Backends.get("ejml");
    }
}
