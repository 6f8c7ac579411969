package org.vae4j.backend.ejml;

import org.ejml.concurrency.EjmlConcurrency;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.Kernels;

/**
 * The EJML backend: float32 tensors on the Java heap, matrix products by EJML's
 * {@code CommonOps_FDRM} (or its concurrent {@code CommonOps_MT_FDRM} for large products when more
 * than one thread is allowed), everything else by the plain loops of {@link EjmlKernels}.
 *
 * <p>The kernels are {@link EjmlCoreKernels} (the primitives) and {@link EjmlFusedKernels} (the
 * layer, activation, loss and optimizer families); core has checked every argument before one
 * runs. This class only sets the threads and installs them.
 */
public final class EjmlBackend extends Backend {

    /** The EJML release this backend is built and tested against. */
    static final String EJML_VERSION = "0.46.1";

    private final int threads;

    /** A backend whose large matrix products may use {@code config.threads()} threads. */
    public EjmlBackend(BackendConfig config) {
        super(EjmlBackendProvider.NAME);
        this.threads = config.threads();
        if (threads > 1) {
            // EJML's thread pool is global to the JVM; the last backend created sets its size.
            EjmlConcurrency.setMaxThreads(threads);
        }
        EjmlFusedKernels fused = new EjmlFusedKernels(this, threads);
        install(Kernels.of(new EjmlCoreKernels(this, threads)).withLayer(fused)
                .withActivation(fused).withLoss(fused).withOptimizer(fused)
                .withConvolution(new EjmlConv(this, threads)));
    }

    /** How many threads the matrix products may use. */
    @Override
    public int threads() {
        return threads;
    }

    @Override
    public String describe() {
        return "ejml: EJML " + EJML_VERSION + " float32 on the Java heap, " + threads
                + (threads == 1 ? " thread" : " threads for large matrix products");
    }
}
