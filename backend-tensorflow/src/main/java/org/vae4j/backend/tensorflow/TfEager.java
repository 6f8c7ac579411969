package org.vae4j.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_ContextOptionsSetAsync;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_ContextOptionsSetConfig;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteContextOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteTensorHandle;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_Execute;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewContext;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewContextOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewOp;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewTensorHandle;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpAddInput;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpAddInputList;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpReset;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrBool;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrFloat;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrInt;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrIntList;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrString;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrStringList;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrType;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleResolve;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_AllocateTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_BOOL;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_FLOAT;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_INT32;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorByteSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Version;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_ContextOptions;
import org.tensorflow.internal.c_api.TFE_Op;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TFJ_RuntimeLibrary;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.proto.ConfigProto;

/**
 * TensorFlow's eager C API, as thin as the kernels need it: one context, a reusable op per thread,
 * and host tensors in and out. Every handle it returns belongs to the caller, who deletes it.
 *
 * <p>It calls the C functions through the JavaCPP bindings that ship in
 * {@code tensorflow-core-native} ({@code org.tensorflow.internal.c_api.global.tensorflow}), the
 * same functions TensorFlow Java's own {@code EagerSession} is built on. Going under the
 * {@code Ops} API gives what that API does not: a handle can be deleted at once, and an op costs
 * a few JNI calls instead of a Java op wrapper, an output object and a GC-tracked reference.
 */
final class TfEager {

    static final int FLOAT = TF_FLOAT;
    static final int INT32 = TF_INT32;
    static final int BOOL = TF_BOOL;

    private static volatile boolean loaded;
    private static TfEager shared;
    /** Op and attribute names as C strings, made once: converting a String costs per call. */
    private static final Map<String, BytePointer> C_STRINGS = new ConcurrentHashMap<>();

    private final TFE_Context context;
    private final int threads;
    private final TFE_TensorHandle zero;
    private final TFE_TensorHandle one;
    private final ThreadLocal<Call> calls = ThreadLocal.withInitial(Call::new);

    private TfEager(int threads) {
        this.threads = threads;
        this.context = newContext(threads);
        Call call = calls.get();
        this.zero = call.floatScalar(0f);
        this.one = call.floatScalar(1f);
    }

    /** Loads TensorFlow's native libraries once; throws whatever the loader throws. */
    static void load() {
        if (!loaded) {
            synchronized (TfEager.class) {
                if (!loaded) {
                    TFJ_RuntimeLibrary.load();
                    loaded = true;
                }
            }
        }
    }

    /** The native library's version, e.g. {@code 2.18.0}. */
    static String version() {
        load();
        return TF_Version().getString();
    }

    /**
     * The process's eager context, created on first use with {@code threads} intra-op threads.
     * TensorFlow keeps one intra-op pool per process (the first device's settings win), so a
     * second context could not have its own thread count anyway; one context serves every
     * backend and is never deleted, since tensors of it may outlive any one backend.
     */
    static synchronized TfEager shared(int threads) {
        load();
        if (shared == null) {
            shared = new TfEager(threads);
        }
        return shared;
    }

    /** The intra-op threads the context was created with. */
    int threads() {
        return threads;
    }

    private static TFE_Context newContext(int threads) {
        // Eager kernels run on the calling thread and split large ops over the intra-op pool;
        // the inter-op pool mainly serves async and function execution, which is not used here.
        byte[] config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(Math.min(2, threads))
                .setAllowSoftPlacement(true)
                .build()
                .toByteArray();
        TF_Status status = TF_NewStatus();
        TFE_ContextOptions options = TFE_NewContextOptions();
        try (BytePointer bytes = new BytePointer(config)) {
            TFE_ContextOptionsSetConfig(options, bytes, config.length, status);
            check(status, "setting the context's ConfigProto");
            TFE_ContextOptionsSetAsync(options, (byte) 0);
            TFE_Context context = TFE_NewContext(options, status);
            check(status, "creating an eager context");
            return context;
        } finally {
            TFE_DeleteContextOptions(options);
            TF_DeleteStatus(status);
        }
    }

    /** A new float32 handle holding a copy of {@code data}. */
    TFE_TensorHandle upload(float[] data, int[] dims) {
        return calls.get().upload(data, dims);
    }

    /** Copies {@code size} floats out of a float32 handle. */
    float[] download(TFE_TensorHandle handle, int size) {
        return calls.get().download(handle, size);
    }

    /** The thread's op, reset to run {@code opName}; configure it, then {@link Call#run()}. */
    Call call(String opName) {
        return calls.get().reset(opName);
    }

    /**
     * The host buffer of a float32 CPU handle, for a kernel that updates a tensor in place (the
     * one such kernel is Adam's, on tensors no other handle shares). Resolving a CPU handle
     * shares its buffer rather than copying it; close the view to drop that reference.
     */
    HostBuffer hostBuffer(TFE_TensorHandle handle, int size) {
        return calls.get().hostBuffer(handle, size);
    }

    /** A float view of a resolved tensor's buffer; closing it releases the resolved tensor. */
    static final class HostBuffer implements AutoCloseable {
        private final TF_Tensor tensor;
        private final FloatBuffer floats;

        HostBuffer(TF_Tensor tensor, FloatBuffer floats) {
            this.tensor = tensor;
            this.floats = floats;
        }

        FloatBuffer floats() {
            return floats;
        }

        @Override
        public void close() {
            TF_DeleteTensor(tensor);
        }
    }

    /** A shared float32 scalar 0; never delete it. */
    TFE_TensorHandle zero() {
        return zero;
    }

    /** A shared float32 scalar 1; never delete it. */
    TFE_TensorHandle one() {
        return one;
    }

    /** Deletes a handle; TensorFlow frees the buffer when its last handle goes. */
    static void delete(TFE_TensorHandle handle) {
        if (handle != null && !handle.isNull()) {
            TFE_DeleteTensorHandle(handle);
        }
    }

    private static void check(TF_Status status, String what) {
        if (TF_GetCode(status) != TF_OK) {
            throw new IllegalStateException("TensorFlow failed " + what + ": "
                    + TF_Message(status).getString());
        }
    }

    /**
     * One thread's reusable eager op and scratch. Building an op adds inputs and attributes; small
     * index tensors it uploads for the op (axes, shapes, indices) are deleted when the op has run.
     * Not reentrant: a kernel finishes one op before it starts the next.
     */
    final class Call {
        private final TF_Status status = TF_NewStatus();
        // Retained so that a JavaCPP PointerScope the caller happens to have open cannot free
        // these long-lived buffers when it closes.
        private final PointerPointer<TFE_TensorHandle> outputs =
                new PointerPointer<TFE_TensorHandle>(1).retainReference();
        private final IntPointer outputCount = new IntPointer(1).retainReference();
        private final List<TFE_TensorHandle> temporaries = new ArrayList<>();
        private TFE_Op op;
        private String opName;

        Call reset(String name) {
            deleteTemporaries();
            opName = name;
            if (op == null) {
                op = TFE_NewOp(context, cString(name), status);
            } else {
                TFE_OpReset(op, cString(name), (BytePointer) null, status);
            }
            check("preparing op " + name);
            return this;
        }

        Call input(TFE_TensorHandle handle) {
            TFE_OpAddInput(op, handle, status);
            check("adding an input to " + opName);
            return this;
        }

        /** A list input (e.g. ConcatV2's values); sets no attributes. */
        Call inputList(List<TFE_TensorHandle> handles) {
            try (PointerPointer<TFE_TensorHandle> list = new PointerPointer<>(handles.size())) {
                for (int i = 0; i < handles.size(); i++) {
                    list.put(i, handles.get(i));
                }
                TFE_OpAddInputList(op, list, handles.size(), status);
            }
            check("adding an input list to " + opName);
            return this;
        }

        /** A 1-D int32 input made for this op only. */
        Call ints(int... values) {
            return input(temporary(intTensor(values, new long[] {values.length})));
        }

        /** A row-major {@code (rows x cols)} int32 input made for this op only. */
        Call intMatrix(int[] values, int rows, int cols) {
            return input(temporary(intTensor(values, new long[] {rows, cols})));
        }

        /** A rank-0 int32 input made for this op only. */
        Call intScalar(int value) {
            return input(temporary(intTensor(new int[] {value}, new long[0])));
        }

        /** A rank-0 float32 input made for this op only. */
        Call floatInput(float value) {
            return input(temporary(floatScalar(value)));
        }

        Call type(String attr, int dataType) {
            TFE_OpSetAttrType(op, cString(attr), dataType);
            return this;
        }

        Call attr(String attr, boolean value) {
            TFE_OpSetAttrBool(op, cString(attr), (byte) (value ? 1 : 0));
            return this;
        }

        Call attr(String attr, long value) {
            TFE_OpSetAttrInt(op, cString(attr), value);
            return this;
        }

        Call attr(String attr, float value) {
            TFE_OpSetAttrFloat(op, cString(attr), value);
            return this;
        }

        /** An int-list attribute (strides, dilations, explicit paddings, window sizes). */
        Call attrInts(String attr, long... values) {
            try (LongPointer list = new LongPointer(values)) {
                TFE_OpSetAttrIntList(op, cString(attr), list, values.length);
            }
            return this;
        }

        /** A string attribute (padding, data format); the strings are kept as C strings. */
        Call attr(String attr, String value) {
            TFE_OpSetAttrString(op, cString(attr), cString(value), value.length());
            return this;
        }

        /** A list-of-strings attribute; the strings are kept as C strings for reuse. */
        Call strings(String attr, String... values) {
            try (PointerPointer<BytePointer> list = new PointerPointer<>(values.length);
                    SizeTPointer lengths = new SizeTPointer(values.length)) {
                for (int i = 0; i < values.length; i++) {
                    list.put(i, cString(values[i]));
                    lengths.put(i, values[i].length());
                }
                TFE_OpSetAttrStringList(op, cString(attr), list, lengths, values.length);
            }
            return this;
        }

        /** Runs the op synchronously and returns its single output, which the caller owns. */
        TFE_TensorHandle run() {
            try {
                outputCount.put(0, 1);
                TFE_Execute(op, outputs, outputCount, status);
                check("running " + opName);
                return outputs.get(TFE_TensorHandle.class, 0);
            } finally {
                deleteTemporaries();
            }
        }

        TFE_TensorHandle upload(float[] data, int[] dims) {
            TF_Tensor tensor = allocate(FLOAT, longs(dims), data.length);
            try {
                if (data.length > 0) {
                    // One bulk copy into TensorFlow's own (aligned) buffer, so the handle
                    // adopts the buffer without a second copy.
                    new FloatPointer(TF_TensorData(tensor)).capacity(data.length)
                            .put(data, 0, data.length);
                }
                TFE_TensorHandle handle = TFE_NewTensorHandle(tensor, status);
                check("uploading a tensor");
                return handle;
            } finally {
                TF_DeleteTensor(tensor);
            }
        }

        HostBuffer hostBuffer(TFE_TensorHandle handle, int size) {
            TF_Tensor tensor = TFE_TensorHandleResolve(handle, status);
            check("resolving a tensor");
            long bytes = TF_TensorByteSize(tensor);
            if (bytes != 4L * size) {
                TF_DeleteTensor(tensor);
                throw new IllegalStateException("TensorFlow tensor holds " + bytes
                        + " bytes, expected " + size + " float32 values");
            }
            FloatBuffer floats = new FloatPointer(TF_TensorData(tensor)).capacity(size).asBuffer();
            return new HostBuffer(tensor, floats);
        }

        float[] download(TFE_TensorHandle handle, int size) {
            TF_Tensor tensor = TFE_TensorHandleResolve(handle, status);
            check("reading a tensor");
            try {
                if (TF_TensorByteSize(tensor) != 4L * size) {
                    throw new IllegalStateException("TensorFlow tensor holds "
                            + TF_TensorByteSize(tensor) + " bytes, expected " + size
                            + " float32 values");
                }
                float[] out = new float[size];
                new FloatPointer(TF_TensorData(tensor)).capacity(size).get(out, 0, size);
                return out;
            } finally {
                TF_DeleteTensor(tensor);
            }
        }

        TFE_TensorHandle floatScalar(float value) {
            TF_Tensor tensor = allocate(FLOAT, new long[0], 1);
            try {
                new FloatPointer(TF_TensorData(tensor)).put(0, value);
                TFE_TensorHandle handle = TFE_NewTensorHandle(tensor, status);
                check("uploading a scalar");
                return handle;
            } finally {
                TF_DeleteTensor(tensor);
            }
        }

        private TFE_TensorHandle intTensor(int[] values, long[] dims) {
            TF_Tensor tensor = allocate(INT32, dims, values.length);
            try {
                if (values.length > 0) {
                    new IntPointer(TF_TensorData(tensor)).capacity(values.length)
                            .put(values, 0, values.length);
                }
                TFE_TensorHandle handle = TFE_NewTensorHandle(tensor, status);
                check("uploading indices");
                return handle;
            } finally {
                TF_DeleteTensor(tensor);
            }
        }

        private TFE_TensorHandle temporary(TFE_TensorHandle handle) {
            temporaries.add(handle);
            return handle;
        }

        private void deleteTemporaries() {
            for (TFE_TensorHandle h : temporaries) {
                delete(h);
            }
            temporaries.clear();
        }

        private void check(String what) {
            TfEager.check(status, what);
        }
    }

    private static BytePointer cString(String s) {
        return C_STRINGS.computeIfAbsent(s, k -> new BytePointer(k).retainReference());
    }

    private static TF_Tensor allocate(int dataType, long[] dims, int count) {
        TF_Tensor tensor = TF_AllocateTensor(dataType, dims, dims.length, 4L * count);
        if (tensor == null || tensor.isNull()) {
            throw new OutOfMemoryError("TensorFlow could not allocate a tensor of " + count
                    + " elements");
        }
        return tensor;
    }

    private static long[] longs(int[] dims) {
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dims[i];
        }
        return out;
    }
}
