package org.vae4j.backend.tensorflow;

import java.lang.ref.Cleaner;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * A TensorFlow tensor: one eager {@code TFE_TensorHandle} that this object owns alone, or, once
 * an optimizer has updated it in place ({@code adamUpdate}), a resource variable holding the
 * value, read into a handle when a kernel asks for it.
 *
 * <p>{@link #release()} deletes the handles at once, which drops TensorFlow's reference to the
 * buffer (shared buffers, e.g. after a reshape, live until their last handle goes). A tensor that
 * is never closed is deleted when the garbage collector finds it unreachable, as a safety net
 * only: a training loop relies on its {@code TensorScope}, not on the collector.
 */
final class TfTensor extends Tensor {

    private static final Cleaner CLEANER = Cleaner.create();

    private final TfEager eager;
    private final Handles handles;
    private final Cleaner.Cleanable deletion;

    TfTensor(TfBackend backend, Shape shape, TFE_TensorHandle handle, TfEager eager) {
        super(backend, shape);
        this.eager = eager;
        this.handles = new Handles(handle);
        this.deletion = CLEANER.register(this, handles);
    }

    /** The value, for use as an op input while this tensor is open. */
    TFE_TensorHandle handle() {
        if (handles.value == null) {
            handles.value = eager.readVariable(handles.variable);
        }
        return handles.value;
    }

    /**
     * The resource variable that holds this tensor's value, made from the value on first use,
     * for an op that updates it in place. The value handle is dropped, so that the variable's
     * buffer is not shared and TensorFlow updates it without copying it first;
     * {@link #handle()} reads the new value when it is next needed.
     */
    TFE_TensorHandle variableForUpdate() {
        if (handles.variable == null) {
            handles.variable = eager.newVariable(handles.value, shape().dims());
        }
        TfEager.delete(handles.value);
        handles.value = null;
        return handles.variable;
    }

    @Override
    protected void release() {
        deletion.clean();
    }

    /** The handles to delete; it must not reach the tensor, or the tensor would never be collected. */
    private static final class Handles implements Runnable {
        TFE_TensorHandle value;
        TFE_TensorHandle variable;

        Handles(TFE_TensorHandle value) {
            this.value = value;
        }

        @Override
        public void run() {
            TfEager.delete(value);
            TfEager.delete(variable);
            value = null;
            variable = null;
        }
    }
}
