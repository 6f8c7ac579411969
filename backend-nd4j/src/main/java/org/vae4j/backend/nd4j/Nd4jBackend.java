package org.vae4j.backend.nd4j;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.Kernels;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * The tensor SPI on ND4J's native CPU kernels (nd4j-native with OpenBLAS), float32 only.
 *
 * <p><b>Threads.</b> On small machines ND4J's OpenMP threads and OpenBLAS's threads spin against
 * each other and make a matrix product interleaved with small ops many times slower. The process
 * must therefore start with the environment variable {@code OMP_NUM_THREADS=1} (the {@code vae4j}
 * launcher and the build's test runner set it; it cannot be changed once the JVM runs); this
 * backend then gives OpenBLAS one thread fewer than {@link BackendConfig#threads()} for matrix
 * products (the other is the {@link org.vae4j.tensor.Parallel} worker, which updates parameters
 * beside the backward pass), while ND4J's own elementwise kernels run on one thread. Without the variable the backend still works,
 * slowly, and logs one warning saying how to fix it.
 *
 * <p><b>Logging.</b> ND4J and JavaCPP log through SLF4J (the provider routes JavaCPP there unless
 * {@code org.bytedeco.javacpp.logger} is set). A program should set the loggers {@code org.nd4j}
 * to WARN and {@code org.bytedeco} to ERROR, or start-up prints about ten INFO lines and a
 * JavaCPP version warning.
 *
 * <p><b>Memory.</b> Every {@link TensorScope} gets an ND4J workspace (see {@link Nd4jWorkspaces}),
 * so a loop of one scope per step reuses one block of native memory instead of growing; a tensor
 * made outside any scope has its own buffer that {@link Tensor#close()} frees at once. ND4J's
 * per-array bookkeeping is freed only by garbage collection, so every {@value #DEFAULT_GC_EVERY}
 * tensors (system property {@value #GC_EVERY_PROPERTY}; 0 = never) the backend requests one when
 * the outermost scope closes.
 *
 * <p><b>Kernels.</b> {@link Nd4jCoreKernels} (the primitives) and {@link Nd4jFusedKernels} (the
 * layer and optimizer families); the other optional families run as composites.
 */
public final class Nd4jBackend extends Backend {

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jBackend.class);

    /** The system property that sets how many tensors pass between requested collections. */
    public static final String GC_EVERY_PROPERTY = "vae4j.nd4j.gcEveryTensors";
    private static final long DEFAULT_GC_EVERY = 50_000;

    private final int threads;
    private final Nd4jWorkspaces workspaces;

    Nd4jBackend(BackendConfig config) {
        super("nd4j");
        this.threads = config.threads();
        this.workspaces = new Nd4jWorkspaces(Long.getLong(GC_EVERY_PROPERTY, DEFAULT_GC_EVERY));
        String omp = System.getenv("OMP_NUM_THREADS");
        if (!"1".equals(omp == null ? null : omp.trim())) {
            LOG.warn("nd4j backend: OMP_NUM_THREADS is {}; ND4J runs many times slower unless the"
                    + " environment has OMP_NUM_THREADS=1 before Java starts (the vae4j launcher"
                    + " sets it)", omp == null ? "unset" : "'" + omp + "'");
        }
        Nd4j.factory().blas().setMaxThreads(blasThreads(threads));
        Nd4jCoreKernels core = new Nd4jCoreKernels(this, workspaces);
        Nd4jFusedKernels fused = new Nd4jFusedKernels(this, core, threads);
        install(Kernels.of(core).withLayer(fused).withOptimizer(fused)
                .withConvolution(new Nd4jConv(core)));
    }

    /** Loads ND4J's native library; throws whatever the loader throws. */
    static void loadNatives() {
        Nd4j.getBackend();
        Nd4j.scalar(0f).close();
    }

    @Override
    public int threads() {
        return threads;
    }

    /**
     * OpenBLAS's share of the threads: all but the Parallel worker's. On 2 cores a second
     * OpenBLAS thread beside the worker made an epoch 4.96 s instead of 3.43 s.
     */
    static int blasThreads(int threads) {
        return Math.max(1, threads - 1);
    }

    @Override
    public String describe() {
        return "nd4j: ND4J native CPU kernels, " + Nd4j.factory().blas().getBlasVendor() + " with "
                + blasThreads(threads) + " thread(s)" + (threads > 1 ? " and a vae4j worker" : "")
                + ", a workspace per scope";
    }

    @Override
    protected void scopeOpened(TensorScope scope) {
        workspaces.opened(scope);
    }

    @Override
    protected void scopeClosed(TensorScope scope) {
        workspaces.closed(scope);
    }
}
