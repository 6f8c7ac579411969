package org.vae4j.tensor;

/**
 * A backend's handle to a float32 tensor: a {@link Shape} plus storage owned by the backend.
 *
 * <p>Tensors are immutable values; kernels return new ones. A tensor created while a
 * {@link TensorScope} is open on the current thread is closed with that scope unless the scope
 * {@linkplain TensorScope#keep keeps} it. Closing twice is safe; using a closed tensor is an error.
 * Backends extend this class and release their storage in {@link #release()}.
 */
public abstract class Tensor implements AutoCloseable {

    private final Backend backend;
    private final Shape shape;
    private boolean closed;

    protected Tensor(Backend backend, Shape shape) {
        this.backend = backend;
        this.shape = shape;
        backend.created(this);
        TensorScope.track(this);
    }

    /** The backend that owns this tensor's storage. */
    public final Backend backend() {
        return backend;
    }

    public final Shape shape() {
        return shape;
    }

    /** The number of elements. */
    public final int size() {
        return shape.size();
    }

    /** Copies the values to a new row-major array. */
    public final float[] toArray() {
        return backend.toArray(this);
    }

    /** The single value of a one-element tensor. */
    public final float item() {
        if (shape.size() != 1) {
            throw new ShapeException("item: tensor of shape " + shape + " has " + shape.size()
                    + " elements; expected exactly 1");
        }
        return toArray()[0];
    }

    public final boolean isClosed() {
        return closed;
    }

    /** Frees the storage now. Safe to call twice. */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        backend.released(this);
        release();
    }

    /** Frees the backend's storage; called once. A no-op for heap-backed tensors. */
    protected abstract void release();

    @Override
    public String toString() {
        return backend.name() + " tensor " + shape + (closed ? " (closed)" : "");
    }
}
