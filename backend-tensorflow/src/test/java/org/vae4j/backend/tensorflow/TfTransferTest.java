package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.TransferChecks;

/** The conformance kit's transfer checks on the TensorFlow backend. */
class TfTransferTest extends TransferChecks {
    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
