package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.ConvChecks;

/** Runs {@link ConvChecks} on the TensorFlow backend: Conv2D, its gradients, pooling. */
class TfConvTest extends ConvChecks {

    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
