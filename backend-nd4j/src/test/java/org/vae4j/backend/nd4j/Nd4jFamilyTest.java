package org.vae4j.backend.nd4j;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.FamilyChecks;

/** The conformance kit's {@link FamilyChecks} on ND4J. */
class Nd4jFamilyTest extends FamilyChecks {
    @Override
    protected Backend backend() {
        return Backends.get("nd4j");
    }
}
