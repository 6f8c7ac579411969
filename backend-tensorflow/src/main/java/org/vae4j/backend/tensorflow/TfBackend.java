package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.Kernels;
import org.vae4j.tensor.Tensor;

/**
 * The TensorFlow backend: every primitive runs as a real TensorFlow eager kernel (MatMul, AddV2,
 * Sum, GatherV2, UnsortedSegmentSum, ...) on the CPU, float32 only.
 *
 * <h2>Native memory: one owned handle per tensor, deleted on close</h2>
 *
 * TensorFlow Java 1.1.0's {@code Ops} API gives no way to free one eager result: its outputs are
 * released when the garbage collector finds them or when their {@code EagerSession} closes, so a
 * long training loop grows by gigabytes unless it forces collections or recycles sessions, and
 * every op then pays for a Java op wrapper and a GC-tracked reference. This backend instead calls
 * TensorFlow's eager C API directly, through the JavaCPP bindings that ship in
 * {@code tensorflow-core-native} (see {@link TfEager}): {@code TFE_Execute} runs the same kernel
 * the {@code Ops} API would, and returns a {@code TFE_TensorHandle} that one {@link TfTensor}
 * owns. {@link Tensor#close()} (called by the enclosing {@code TensorScope}) deletes the handle at
 * once with {@code TFE_DeleteTensorHandle}, and TensorFlow frees the buffer when its last handle
 * is gone. So memory follows the scopes exactly: a training step that runs in one scope returns
 * to the same footprint at its end. A tensor nobody closes is still deleted when it is collected
 * (a {@link java.lang.ref.Cleaner}), as a safety net only.
 *
 * <p>Measured with {@code TfBenchmark} (test sources) on 2 cores, AVX-512: an MLP 784-400-20,
 * batch 128, forward and backward by hand (about 25 TensorFlow ops a step), one scope per step,
 * 20,000 steps with the Java heap pre-touched: resident set 823 MB after 500 warm-up steps, 828 MB
 * at the end. The same loop with no scope, so that handles wait for the collector as they do
 * under the {@code Ops} API, reached 6.2 GB within 1,500 steps. Per kernel here, against the
 * {@code Ops} API in the same JVM setup: MatMul 128x784·784x400 0.42 ms (about 190 GFLOP/s)
 * against 0.5-0.8 ms; Relu 128x400 7-10 µs against 52 µs; an op on two scalars 4 µs against
 * 13-28 µs; uploading a 128x784 batch 10 µs against 0.4-1.1 ms for {@code tf.constant}.
 *
 * <p>Kernels: {@link TfCoreKernels} (the primitives) and {@link TfFusedKernels} (the layer,
 * activation and optimizer families); the loss and reduction families run as composites.
 *
 * <p>Data enters with {@link #fromArray}: one bulk copy into a buffer TensorFlow allocated, which
 * the new handle adopts without copying again; {@link #toArray} resolves the handle and copies out.
 *
 * <p>Threads: of {@link BackendConfig#threads()}, one is the {@link org.vae4j.tensor.Parallel}
 * worker (parameter updates beside the backward pass) and the rest form the context's intra-op
 * pool, which large kernels split over; kernels run synchronously on the calling thread.
 * TensorFlow keeps that pool once per process, so every backend shares one eager context made
 * with the first backend's thread count. Start-up is quiet only when the environment variable
 * {@code TF_CPP_MIN_LOG_LEVEL=2} is set before the JVM starts (TensorFlow reads it natively).
 */
public final class TfBackend extends Backend {

    private final TfEager eager;
    private final int requestedThreads;

    /**
     * A backend whose kernels may use {@code config.threads()} threads; in a process that already
     * has a TensorFlow backend, the first one's thread count applies (see {@link #describe()}).
     */
    public TfBackend(BackendConfig config) {
        super(TfBackendProvider.NAME);
        this.eager = TfEager.shared(intraOpThreads(config.threads()));
        this.requestedThreads = config.threads();
        TfKernels kernels = new TfKernels(eager);
        TfCoreKernels core = new TfCoreKernels(this, eager, kernels);
        TfFusedKernels fused = new TfFusedKernels(this, core, eager, kernels, requestedThreads);
        install(Kernels.of(core).withLayer(fused).withActivation(fused).withOptimizer(fused)
                .withConvolution(new TfConvKernels(core, eager)));
    }

    /**
     * TensorFlow's intra-op pool gets one thread fewer than the backend: the other is the
     * {@link org.vae4j.tensor.Parallel} worker, which updates parameters beside the backward
     * pass. At this model's sizes TensorFlow runs each product on one thread whatever the pool,
     * and a second pool thread only added 30 µs of hand-over to every small op (2 cores: 2.68 s
     * per epoch with a pool of 2, 2.05 s with a pool of 1).
     */
    static int intraOpThreads(int threads) {
        return Math.max(1, threads - 1);
    }

    /** The threads asked for: the intra-op pool's, plus one for the Parallel worker. */
    @Override
    public int threads() {
        return requestedThreads;
    }

    @Override
    public String describe() {
        int threads = eager.threads();
        String described = "tensorflow: TensorFlow " + TfEager.version()
                + " eager kernels through the C API of TensorFlow Java 1.1.0, " + threads
                + " intra-op thread" + (threads == 1 ? "" : "s")
                + (requestedThreads > 1 ? " and a vae4j worker" : "");
        if (threads != intraOpThreads(requestedThreads)) {
            described += " (" + requestedThreads + " asked for; TensorFlow keeps one pool per"
                    + " process and its first backend set it)";
        }
        return described;
    }
}
