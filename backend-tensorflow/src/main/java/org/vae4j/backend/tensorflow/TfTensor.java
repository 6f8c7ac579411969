package org.vae4j.backend.tensorflow;

import java.lang.ref.Cleaner;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * A TensorFlow tensor: one eager {@code TFE_TensorHandle} that this object owns alone.
 *
 * <p>{@link #release()} deletes the handle at once, which drops TensorFlow's reference to the
 * buffer (shared buffers, e.g. after a reshape, live until their last handle goes). A tensor that
 * is never closed is deleted when the garbage collector finds it unreachable, as a safety net
 * only: a training loop relies on its {@code TensorScope}, not on the collector.
 */
final class TfTensor extends Tensor {

    private static final Cleaner CLEANER = Cleaner.create();

    private final TFE_TensorHandle handle;
    private final Cleaner.Cleanable deletion;

    TfTensor(Backend backend, Shape shape, TFE_TensorHandle handle) {
        super(backend, shape);
        this.handle = handle;
        this.deletion = CLEANER.register(this, new Deletion(handle));
    }

    /** The handle, for use as an op input while this tensor is open. */
    TFE_TensorHandle handle() {
        return handle;
    }

    @Override
    protected void release() {
        deletion.clean();
    }

    /** Deletes the handle; it must not reach the tensor, or the tensor would never be collected. */
    private record Deletion(TFE_TensorHandle handle) implements Runnable {
        @Override
        public void run() {
            TfEager.delete(handle);
        }
    }
}
