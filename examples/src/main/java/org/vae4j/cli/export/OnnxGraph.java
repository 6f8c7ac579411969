package org.vae4j.cli.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.google.protobuf.ByteString;
import org.vae4j.onnx.proto.Onnx.AttributeProto;
import org.vae4j.onnx.proto.Onnx.GraphProto;
import org.vae4j.onnx.proto.Onnx.ModelProto;
import org.vae4j.onnx.proto.Onnx.NodeProto;
import org.vae4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.vae4j.onnx.proto.Onnx.TensorProto;
import org.vae4j.onnx.proto.Onnx.TensorShapeProto;
import org.vae4j.onnx.proto.Onnx.TypeProto;
import org.vae4j.onnx.proto.Onnx.ValueInfoProto;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.UnaryOp;
import org.vae4j.trace.Trace;
import org.vae4j.trace.TraceException;
import org.vae4j.trace.TraceNode;

/**
 * Turns a {@link Trace} into an ONNX model (opset {@value #OPSET}, IR version {@value #IR}).
 *
 * <p>Every node that does not depend on an input is folded into an initializer holding its
 * values (the weights and whatever the model computes from them); every batched node becomes one
 * or a few ONNX nodes. The leading dimension of inputs and outputs is the dynamic {@code N}; the
 * shapes a batched reshape, fill or broadcast needs are built from {@code Shape(input)[0]}.
 */
final class OnnxGraph {

    static final int OPSET = 17;
    static final int IR = 8;
    static final String BATCH = "N";

    private final Trace trace;
    private final String model;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<Integer, String> names = new HashMap<>();
    private int fresh;
    private String batchSize;

    private OnnxGraph(Trace trace, String model) {
        this.trace = trace;
        this.model = model;
    }

    /** The ONNX model computing {@code trace}, its output named {@code output}. */
    static ModelProto build(Trace trace, String model, String output) {
        return new OnnxGraph(trace, model).model(output);
    }

    private ModelProto model(String output) {
        graph.setName(model + "_" + trace.function());
        for (TraceNode in : trace.inputs()) {
            String name = in.attr("name");
            names.put(in.id(), name);
            boolean labels = in.op().equals("labels");
            ValueInfoProto v = value(name, labels ? TensorProto.DataType.INT64_VALUE
                    : TensorProto.DataType.FLOAT_VALUE, in.shape(), true);
            String distribution = in.attr("distribution");
            graph.addInput(distribution == null ? v : v.toBuilder().setDocString(
                    "random draws, " + distribution + " per value: sampling noise the caller"
                            + " supplies").build());
        }
        for (TraceNode n : trace.nodes()) {
            if (n.batched() && !names.containsKey(n.id())) {
                names.put(n.id(), emit(n));
            }
        }
        TraceNode out = trace.output();
        graph.addNode(node("Identity", List.of(name(out)), output));
        graph.addOutput(value(output, TensorProto.DataType.FLOAT_VALUE, out.shape(),
                out.batched()));
        return ModelProto.newBuilder()
                .setIrVersion(IR)
                .setProducerName("vae4j")
                .setDomain("org.vae4j")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    /**
     * The graph's name for {@code n}'s value; a constant becomes an initializer the first time a
     * node reads it, so constants folded into others (a weight and its transpose) are not kept.
     */
    private String name(TraceNode n) {
        String name = names.get(n.id());
        if (name == null) {
            name = floats(n.data(), n.shape());
            names.put(n.id(), name);
        }
        return name;
    }

    private String emit(TraceNode n) {
        List<String> in = n.inputs().stream().map(this::name).toList();
        String x = in.isEmpty() ? null : in.get(0);
        switch (n.op()) {
            case "unary":
                return unary(n.attr("op"), x);
            case "binary":
                return binary(n.attr("op"), x, in.get(1));
            case "reduce": {
                ReduceOp op = n.attr("op");
                int[] axes = n.attr("axes");
                long keep = n.shape().rank() == n.inputs().get(0).shape().rank() ? 1 : 0;
                if (op == ReduceOp.SUM) {
                    return add(node("ReduceSum", List.of(x, ints(axes)), next())
                            .addAttribute(attr("keepdims", keep)));
                }
                return add(node(op == ReduceOp.MEAN ? "ReduceMean" : "ReduceMax", List.of(x),
                        next()).addAttribute(attr("axes", axes)).addAttribute(attr("keepdims", keep)));
            }
            case "argReduce": {
                ArgOp op = n.attr("op");
                long keep = n.shape().rank() == n.inputs().get(0).shape().rank() ? 1 : 0;
                String idx = add(node(op == ArgOp.ARGMAX ? "ArgMax" : "ArgMin", List.of(x), next())
                        .addAttribute(attr("axis", (long) (int) n.attr("axis")))
                        .addAttribute(attr("keepdims", keep)));
                return cast(idx);
            }
            case "matmul": {
                boolean ta = n.attr("transA");
                boolean tb = n.attr("transB");
                return add(node("Gemm", in, next())
                        .addAttribute(attr("transA", ta ? 1L : 0L))
                        .addAttribute(attr("transB", tb ? 1L : 0L)));
            }
            case "reshape": {
                int[] dims = n.shape().dims();
                long[] target = new long[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    target[i] = i == 0 ? -1 : dims[i];
                }
                return add(node("Reshape", List.of(x, longs(target)), next()));
            }
            case "transpose":
                return add(node("Transpose", List.of(x), next())
                        .addAttribute(attr("perm", (int[]) n.attr("perm"))));
            case "slice": {
                int axis = n.attr("axis");
                long end = (int) n.attr("end");
                if (axis == 0 && end == trace.batch()) {
                    end = Long.MAX_VALUE;
                }
                return add(node("Slice", List.of(x, longs(new long[] {(int) n.attr("start")}),
                        longs(new long[] {end}), longs(new long[] {axis})), next()));
            }
            case "stridedSlice": {
                int[] start = n.attr("start");
                int[] step = n.attr("step");
                int[] out = n.shape().dims();
                long[] s = new long[start.length];
                long[] e = new long[start.length];
                long[] a = new long[start.length];
                long[] st = new long[start.length];
                for (int i = 0; i < start.length; i++) {
                    s[i] = start[i];
                    e[i] = start[i] + (long) (out[i] - 1) * step[i] + 1;
                    a[i] = i;
                    st[i] = step[i];
                }
                if (start[0] == 0 && step[0] == 1) {
                    e[0] = Long.MAX_VALUE;
                }
                return add(node("Slice", List.of(x, longs(s), longs(e), longs(a), longs(st)),
                        next()));
            }
            case "pad": {
                int[] before = n.attr("before");
                int[] after = n.attr("after");
                long[] pads = new long[before.length * 2];
                for (int i = 0; i < before.length; i++) {
                    pads[i] = before[i];
                    pads[i + before.length] = after[i];
                }
                float value = n.attr("value");
                return add(node("Pad", List.of(x, longs(pads),
                        floats(new float[] {value}, Shape.of())), next()));
            }
            case "broadcastTo":
                return add(node("Expand", List.of(x, shapeOf(n.shape())), next()));
            case "full": {
                float value = n.attr("value");
                TensorProto v = tensor("value", new float[] {value}, Shape.of(1));
                return add(node("ConstantOfShape", List.of(shapeOf(n.shape())), next())
                        .addAttribute(AttributeProto.newBuilder().setName("value")
                                .setType(AttributeProto.AttributeType.TENSOR).setT(v)));
            }
            case "gather": {
                String idx = add(node("Cast", List.of(in.get(1)), next())
                        .addAttribute(attr("to", (long) TensorProto.DataType.INT64_VALUE)));
                return add(node("Gather", List.of(x, idx), next()).addAttribute(attr("axis", 0L)));
            }
            case "concat":
                return add(node("Concat", in, next())
                        .addAttribute(attr("axis", (long) (int) n.attr("axis"))));
            case "oneHot": {
                int classes = n.attr("classes");
                return add(node("OneHot", List.of(x, longs(new long[] {classes}),
                        floats(new float[] {0f, 1f}, Shape.of(2))), next())
                        .addAttribute(attr("axis", -1L)));
            }
            default:
                throw new TraceException("cannot export " + n.op() + " in " + model + "."
                        + trace.function() + " to ONNX: no ONNX node expresses it on a tensor"
                        + " that depends on the input");
        }
    }

    private String unary(UnaryOp op, String x) {
        return switch (op) {
            case NEG -> op("Neg", x);
            case EXP -> op("Exp", x);
            case LOG -> op("Log", x);
            case SQRT -> op("Sqrt", x);
            case ABS -> op("Abs", x);
            case SQUARE -> add(node("Mul", List.of(x, x), next()));
            case RECIPROCAL -> op("Reciprocal", x);
            case TANH -> op("Tanh", x);
            case SIGMOID -> op("Sigmoid", x);
            case RELU -> op("Relu", x);
            case SOFTPLUS -> op("Softplus", x);
            case LOG_SIGMOID -> op("Neg", op("Softplus", op("Neg", x)));
            case STEP -> cast(add(node("Greater", List.of(x, zero()), next())));
            case SIGN -> op("Sign", x);
            case ERF -> op("Erf", x);
        };
    }

    private String binary(BinaryOp op, String a, String b) {
        String name = switch (op) {
            case ADD -> "Add";
            case SUB -> "Sub";
            case MUL -> "Mul";
            case DIV -> "Div";
            case MAX -> "Max";
            case MIN -> "Min";
            case GREATER -> "Greater";
            case EQUAL -> "Equal";
        };
        String r = add(node(name, List.of(a, b), next()));
        return op == BinaryOp.GREATER || op == BinaryOp.EQUAL ? cast(r) : r;
    }

    private String zero() {
        return floats(new float[] {0f}, Shape.of());
    }

    private String op(String type, String x) {
        return add(node(type, List.of(x), next()));
    }

    private String cast(String x) {
        return add(node("Cast", List.of(x), next())
                .addAttribute(attr("to", (long) TensorProto.DataType.FLOAT_VALUE)));
    }

    /** A shape for Expand or ConstantOfShape: the dynamic batch first if {@code s} has it. */
    private String shapeOf(Shape s) {
        int[] d = s.dims();
        if (d.length == 0 || d[0] != trace.batch()) {
            long[] l = new long[d.length];
            for (int i = 0; i < d.length; i++) {
                l[i] = d[i];
            }
            return longs(l);
        }
        long[] rest = new long[d.length - 1];
        for (int i = 1; i < d.length; i++) {
            rest[i - 1] = d[i];
        }
        return add(node("Concat", List.of(batchSize(), longs(rest)), next())
                .addAttribute(attr("axis", 0L)));
    }

    /** {@code Shape(first input)[0:1]}, made once. */
    private String batchSize() {
        if (batchSize == null) {
            String first = names.get(trace.inputs().get(0).id());
            String shape = add(node("Shape", List.of(first), next()));
            batchSize = add(node("Slice", List.of(shape, longs(new long[] {0}),
                    longs(new long[] {1})), next()));
        }
        return batchSize;
    }

    private String add(NodeProto.Builder node) {
        graph.addNode(node);
        return node.getOutput(0);
    }

    private String next() {
        return "t" + fresh++;
    }

    private NodeProto.Builder node(String type, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(type).setName(output + "_" + type)
                .addAllInput(inputs).addOutput(output);
    }

    private String floats(float[] data, Shape shape) {
        String name = "c" + fresh++;
        graph.addInitializer(tensor(name, data, shape));
        return name;
    }

    private static TensorProto tensor(String name, float[] data, Shape shape) {
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(buf.array()));
        for (int d : shape.dims()) {
            t.addDims(d);
        }
        return t.build();
    }

    private String ints(int[] values) {
        long[] l = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            l[i] = values[i];
        }
        return longs(l);
    }

    private String longs(long[] values) {
        String name = "c" + fresh++;
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    private static AttributeProto attr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
                .setI(v).build();
    }

    private static AttributeProto attr(String name, int[] v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (int i : v) {
            a.addInts(i);
        }
        return a.build();
    }

    private ValueInfoProto value(String name, int type, Shape shape, boolean batched) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        int[] d = shape.dims();
        for (int i = 0; i < d.length; i++) {
            s.addDim(i == 0 && batched ? TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d[i]));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(s)))
                .build();
    }

}
