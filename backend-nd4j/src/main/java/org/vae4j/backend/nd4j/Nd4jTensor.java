package org.vae4j.backend.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * The ND4J tensor handle: a float32, row-major {@link INDArray}.
 *
 * <p>Its array lives either in the workspace of the {@link org.vae4j.tensor.TensorScope} that was
 * open when it was created (freed in one go when that scope closes) or, outside any scope and
 * after it has been moved out of a closing scope's workspace, in memory of its own that
 * {@link #release()} frees at once.
 */
final class Nd4jTensor extends Tensor {

    /** What kernels read; may be a view of {@link #storage} in another shape. */
    private INDArray array;
    /** The array that owns the buffer, closed on release. */
    private INDArray storage;

    Nd4jTensor(Backend backend, Shape shape, INDArray array, INDArray storage) {
        super(backend, shape);
        this.array = array;
        this.storage = storage;
    }

    INDArray array() {
        return array;
    }

    /** Whether the storage lives in a workspace (and so must move before that workspace resets). */
    boolean inWorkspace() {
        return storage != null && storage.isAttached();
    }

    /**
     * Moves the values out of a workspace that is about to reset: into the workspace
     * {@code targetWorkspace}, or into memory of its own when that is {@code null}.
     */
    void moveOutOfWorkspace(String targetWorkspace) {
        INDArray moved = targetWorkspace == null ? array.detach() : array.leverageTo(targetWorkspace);
        array = moved;
        storage = moved;
    }

    @Override
    protected void release() {
        INDArray s = storage;
        array = null;
        storage = null;
        // Workspace memory is reclaimed when its scope closes; only a detached buffer is freed here.
        if (s != null && !s.isAttached() && s.closeable()) {
            s.close();
        }
    }
}
