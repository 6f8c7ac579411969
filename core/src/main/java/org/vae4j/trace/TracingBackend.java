package org.vae4j.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.CoreKernels;
import org.vae4j.tensor.Kernels;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * A backend that records the SPI primitives a model calls: the single source of every exporter.
 *
 * <p>It installs the core family alone, so every composite op (layers, losses, convolution) runs
 * as its definition and reaches the graph as core primitives. Each tensor carries a
 * {@link TraceNode} and its values, which the reference backend computes, so a model loads and
 * runs as usual. Parameters uploaded while loading become constants. A {@linkplain #input graph
 * input} has the traced batch size as its leading dimension; every node that depends on it is
 * batched. Reading a batched tensor's values into Java ({@code toArray}, {@code item}) is refused:
 * what the model would do with them is data-dependent control flow no graph can hold; so are
 * gathers and scatters at Java indices of a batched tensor and labels other than the traced ones.
 * One read is let through: the indices of an {@code argReduce} (a codebook's nearest codes), when
 * a gather of a constant at exactly those rows follows; the gather then reads them in the graph.
 */
public final class TracingBackend extends Backend {

    private final CoreKernels reference = ReferenceBackend.kernels(new ReferenceBackend()).core();
    private final List<TraceNode> inputs = new ArrayList<>();
    private String model = "model";
    private String function = "load";
    private int[] labels;
    private int nextId;
    private final List<TraceTensor> indices = new ArrayList<>();
    private int batch;

    public TracingBackend() {
        super("trace");
        install(Kernels.of(new Recording()));
    }

    /** Names the model and the function being traced, for error messages; clears the inputs. */
    public void begin(String model, String function) {
        this.model = model;
        this.function = function;
        this.inputs.clear();
        this.labels = null;
        this.batch = 0;
        this.indices.clear();
    }

    /** A graph input named {@code name}, of {@code shape}, whose leading dimension is the batch. */
    public Tensor input(String name, Shape shape, float[] values) {
        batch = shape.dim(0);
        TraceNode n = node("input", List.of(), Map.of("name", name), shape, true, null);
        inputs.add(n);
        return new TraceTensor(this, n, values.clone());
    }

    /**
     * Random draws: while loading, values like any other (initial weights); while a function is
     * traced, a graph input {@code noise_0}, {@code noise_1}, … in the order drawn, of the
     * draws' shape with the batch leading, its distribution in the attribute {@code
     * distribution}. Draws whose leading dimension is not the batch are refused: they would be
     * baked in.
     */
    @Override
    public Tensor fromDraws(float[] data, Shape shape, String distribution) {
        if (batch == 0) {
            return super.fromDraws(data, shape, distribution);
        }
        if (!batchShaped(shape)) {
            throw refuse("random draws", distribution + " draws of shape " + shape + " do not"
                    + " have the batch (" + batch + ") as their leading dimension, so they cannot"
                    + " be a graph input and would be baked into the graph");
        }
        long drawn = inputs.stream().filter(n -> n.op().equals("input")
                && n.attrs().containsKey("distribution")).count();
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("name", "noise_" + drawn);
        attrs.put("distribution", distribution);
        TraceNode n = node("input", List.of(), attrs, shape, true, null);
        inputs.add(n);
        return new TraceTensor(this, n, data.clone());
    }

    /**
     * The labels of a conditional model as a graph input: {@code oneHot} of exactly this array
     * becomes a one-hot of the input {@code labels}.
     */
    public int[] labels(int[] values) {
        labels = values;
        TraceNode n = node("labels", List.of(), Map.of("name", "labels"),
                Shape.of(values.length), true, null);
        inputs.add(n);
        return values;
    }

    /** The graph that computes {@code output}: the nodes it reaches, in the order they were made. */
    public Trace finish(Tensor output, int batch) {
        TraceTensor out = own(output, "output");
        Map<Integer, TraceNode> seen = new HashMap<>();
        List<TraceNode> stack = new ArrayList<>(List.of(out.node));
        while (!stack.isEmpty()) {
            TraceNode n = stack.remove(stack.size() - 1);
            if (seen.putIfAbsent(n.id(), n) == null) {
                stack.addAll(n.inputs());
            }
        }
        List<TraceNode> nodes = new ArrayList<>(seen.values());
        nodes.sort(Comparator.comparingInt(TraceNode::id));
        return new Trace(function, nodes, List.copyOf(inputs), out.node, batch);
    }

    /** The values a tensor of this backend holds (for tests comparing with another runtime). */
    public float[] values(Tensor t) {
        return own(t, "values").values.clone();
    }

    /**
     * Whether a shape made from Java ints (a fill, a broadcast) has the batch as its leading
     * dimension while a function is traced: its size then follows the input's.
     */
    private boolean batchShaped(Shape shape) {
        return batch > 0 && shape.rank() > 0 && shape.dim(0) == batch;
    }

    private static boolean sameRows(float[] indices, int[] rows) {
        if (indices.length != rows.length) {
            return false;
        }
        for (int i = 0; i < rows.length; i++) {
            if (indices[i] != rows[i]) {
                return false;
            }
        }
        return true;
    }

    private TraceNode node(String op, List<TraceNode> in, Map<String, Object> attrs, Shape shape,
            boolean batched, float[] data) {
        return new TraceNode(nextId++, op, List.copyOf(in), attrs, shape, batched, data);
    }

    private TraceTensor own(Tensor t, String op) {
        if (!(t instanceof TraceTensor tt)) {
            throw new TraceException(op + " in " + model + "." + function + ": a tensor of the "
                    + t.backend().name() + " backend reached the tracer");
        }
        return tt;
    }

    private TraceException refuse(String op, String why) {
        return new TraceException("cannot trace " + op + " in " + model + "." + function + ": "
                + why);
    }

    private static final class TraceTensor extends Tensor {
        final TraceNode node;
        final float[] values;

        TraceTensor(TracingBackend b, TraceNode node, float[] values) {
            super(b, node.shape());
            this.node = node;
            this.values = values;
        }

        @Override
        protected void release() {
        }
    }

    /** The core kernels: each computes with the reference and records a node. */
    private final class Recording implements CoreKernels {

        private Tensor ref(TraceTensor t) {
            return reference.upload(t.values, t.shape());
        }

        private Tensor record(String op, List<TraceTensor> in, Map<String, Object> attrs,
                Tensor result) {
            try (result) {
                boolean batched = in.stream().anyMatch(t -> t.node.batched())
                        || op.equals("broadcastTo") && batchShaped(result.shape());
                List<TraceNode> nodes = in.stream().map(t -> t.node).toList();
                float[] v = result.size() == 0 ? new float[0] : reference.download(result);
                return new TraceTensor(TracingBackend.this,
                        node(op, nodes, attrs, result.shape(), batched, batched ? null : v), v);
            }
        }

        private Map<String, Object> attrs(Object... kv) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                m.put((String) kv[i], kv[i + 1]);
            }
            return m;
        }

        @Override
        public Tensor upload(float[] data, Shape shape) {
            if (batchShaped(shape)) {
                throw refuse("fromArray", "values of shape " + shape + " made in Java are"
                        + " uploaded while the function is traced: they would be baked into the"
                        + " graph as constants for a batch of " + batch + " only (compute them"
                        + " with tensor ops from the input, or draw noise with Rng)");
            }
            return new TraceTensor(TracingBackend.this,
                    node("constant", List.of(), Map.of(), shape, false, data.clone()), data.clone());
        }

        @Override
        public float[] download(Tensor t) {
            TraceTensor tt = own(t, "toArray");
            if (tt.node.batched() && tt.node.op().equals("argReduce")) {
                // indices, as Codebook.nearest reads them: a gather at exactly these rows reads
                // them from the graph
                indices.add(tt);
                return tt.values.clone();
            }
            if (tt.node.batched()) {
                throw refuse("toArray", "the values of a tensor of shape " + tt.shape()
                        + " that depends on the input are read into Java (data-dependent"
                        + " control flow)");
            }
            return tt.values.clone();
        }

        @Override
        public Tensor full(Shape shape, float value) {
            float[] data = new float[shape.size()];
            Arrays.fill(data, value);
            if (batchShaped(shape)) {
                return new TraceTensor(TracingBackend.this, node("full", List.of(),
                        attrs("value", value), shape, true, null), data);
            }
            return upload(data, shape);
        }

        @Override
        public Tensor unary(UnaryOp op, Tensor x) {
            TraceTensor a = own(x, "unary");
            return record("unary", List.of(a), attrs("op", op), reference.unary(op, ref(a)));
        }

        @Override
        public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out) {
            TraceTensor x = own(a, "binary");
            TraceTensor y = own(b, "binary");
            try (Tensor rx = ref(x); Tensor ry = ref(y)) {
                return record("binary", List.of(x, y), attrs("op", op),
                        reference.binary(op, rx, ry, out));
            }
        }

        @Override
        public Tensor reduce(ReduceOp op, Tensor x, int[] axes, Shape out) {
            TraceTensor a = own(x, "reduce");
            try (Tensor r = ref(a)) {
                return record("reduce", List.of(a), attrs("op", op, "axes", axes.clone()),
                        reference.reduce(op, r, axes, out));
            }
        }

        @Override
        public Tensor argReduce(ArgOp op, Tensor x, int axis, Shape out) {
            TraceTensor a = own(x, "argReduce");
            try (Tensor r = ref(a)) {
                return record("argReduce", List.of(a), attrs("op", op, "axis", axis),
                        reference.argReduce(op, r, axis, out));
            }
        }

        @Override
        public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
            TraceTensor x = own(a, "matmul");
            TraceTensor y = own(b, "matmul");
            try (Tensor rx = ref(x); Tensor ry = ref(y)) {
                return record("matmul", List.of(x, y), attrs("transA", transA, "transB", transB),
                        reference.matmul(rx, transA, ry, transB, out));
            }
        }

        @Override
        public Tensor reshape(Tensor x, Shape shape) {
            TraceTensor a = own(x, "reshape");
            try (Tensor r = ref(a)) {
                return record("reshape", List.of(a), attrs(), reference.reshape(r, shape));
            }
        }

        @Override
        public Tensor transpose(Tensor x, int[] perm, Shape out) {
            TraceTensor a = own(x, "transpose");
            try (Tensor r = ref(a)) {
                return record("transpose", List.of(a), attrs("perm", perm.clone()),
                        reference.transpose(r, perm, out));
            }
        }

        @Override
        public Tensor slice(Tensor x, int axis, int start, int end, Shape out) {
            TraceTensor a = own(x, "slice");
            try (Tensor r = ref(a)) {
                return record("slice", List.of(a), attrs("axis", axis, "start", start, "end", end),
                        reference.slice(r, axis, start, end, out));
            }
        }

        @Override
        public Tensor stridedSlice(Tensor x, int[] start, int[] step, Shape out) {
            TraceTensor a = own(x, "stridedSlice");
            try (Tensor r = ref(a)) {
                return record("stridedSlice", List.of(a),
                        attrs("start", start.clone(), "step", step.clone()),
                        reference.stridedSlice(r, start, step, out));
            }
        }

        @Override
        public Tensor pad(Tensor x, int[] before, int[] after, float value, Shape out) {
            TraceTensor a = own(x, "pad");
            try (Tensor r = ref(a)) {
                return record("pad", List.of(a),
                        attrs("before", before.clone(), "after", after.clone(), "value", value),
                        reference.pad(r, before, after, value, out));
            }
        }

        @Override
        public Tensor broadcastTo(Tensor x, Shape out) {
            TraceTensor a = own(x, "broadcastTo");
            try (Tensor r = ref(a)) {
                return record("broadcastTo", List.of(a), attrs(), reference.broadcastTo(r, out));
            }
        }

        @Override
        public Tensor concat(List<Tensor> xs, int axis, Shape out) {
            List<TraceTensor> in = xs.stream().map(t -> own(t, "concat")).toList();
            List<Tensor> refs = new ArrayList<>();
            try {
                for (TraceTensor t : in) {
                    refs.add(ref(t));
                }
                return record("concat", in, attrs("axis", axis),
                        reference.concat(refs, axis, out));
            } finally {
                refs.forEach(Tensor::close);
            }
        }

        @Override
        public Tensor gatherRows(Tensor x, int[] rows, Shape out) {
            TraceTensor a = own(x, "gatherRows");
            for (TraceTensor idx : indices) {
                if (!a.node.batched() && sameRows(idx.values, rows)) {
                    try (Tensor r = ref(a)) {
                        return record("gather", List.of(a, idx), attrs(),
                                reference.gatherRows(r, rows, out));
                    }
                }
            }
            if (a.node.batched() || !indices.isEmpty()) {
                throw refuse("gatherRows", "rows picked at Java indices from a tensor of shape "
                        + a.shape() + " that depends on the input");
            }
            try (Tensor r = ref(a)) {
                return record("gatherRows", List.of(a), attrs("rows", rows.clone()),
                        reference.gatherRows(r, rows, out));
            }
        }

        @Override
        public Tensor scatterAddRows(Tensor src, int[] rows, Shape out) {
            TraceTensor a = own(src, "scatterAddRows");
            if (a.node.batched()) {
                throw refuse("scatterAddRows", "rows added at Java indices from a tensor of"
                        + " shape " + a.shape() + " that depends on the input");
            }
            try (Tensor r = ref(a)) {
                return record("scatterAddRows", List.of(a), attrs("rows", rows.clone()),
                        reference.scatterAddRows(r, rows, out));
            }
        }

        @Override
        public Tensor oneHot(int[] given, int classes) {
            Tensor r = reference.oneHot(given, classes);
            if (labels != null && Arrays.equals(given, labels)) {
                TraceNode in = inputs.stream().filter(n -> n.op().equals("labels")).findFirst()
                        .orElseThrow();
                try (r) {
                    return new TraceTensor(TracingBackend.this, node("oneHot", List.of(in),
                            attrs("classes", classes), r.shape(), true, null),
                            reference.download(r));
                }
            }
            if (labels != null) {
                r.close();
                throw refuse("oneHot", "labels other than the input labels");
            }
            try (r) {
                return upload(reference.download(r), r.shape());
            }
        }
    }
}
