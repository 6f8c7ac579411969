package org.vae4j.tensor;

/**
 * The executable specification of the tensor SPI: every primitive as a plain loop computed in
 * double precision and rounded once to float, so what an op means is what this class computes
 * (e.g. ARGMIN ties go to the lowest index, MAX and MIN propagate NaN, STEP(x) is x &gt; 0 ? 1 : 0,
 * SOFTPLUS, LOG_SIGMOID and SIGMOID are computed stably).
 *
 * <p>It is the oracle that the conformance kit, the cross-backend consistency tests and
 * {@code vae4j backends --check} compare every real backend against, and the backend core's own
 * tests run on. It is slow (a 784x400 product is a triple loop) and is deliberately not registered
 * as a {@link BackendProvider}: construct it directly with {@code new ReferenceBackend()}.
 */
public final class ReferenceBackend extends Backend {

    private final int threads;

    /** Creates the oracle; it holds no native state, so any number may coexist. */
    public ReferenceBackend() {
        this(1);
    }

    /**
     * The oracle with {@code threads} for {@link #threads()}: from 2 on, what runs beside the
     * caller (an optimizer's updates during the backward pass) runs so here too, which lets
     * tests compare it with the one-thread order of work.
     */
    public ReferenceBackend(int threads) {
        super("reference");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        install(kernels(this));
    }

    /**
     * The reference's kernels (core family only), making their tensors for {@code owner}: how a
     * test double wraps the oracle and changes one kernel (see {@link ForwardingCoreKernels})
     * while its tensors report the double as their backend.
     */
    public static Kernels kernels(Backend owner) {
        return Kernels.of(new ReferenceKernels(owner));
    }

    @Override
    public int threads() {
        return threads;
    }

}
