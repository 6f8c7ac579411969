package org.vae4j.backend.ejml;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.FamilyChecks;

/** The conformance kit's {@link FamilyChecks} on EJML. */
class EjmlFamilyTest extends FamilyChecks {
    @Override
    protected Backend backend() {
        return Backends.get("ejml");
    }
}
