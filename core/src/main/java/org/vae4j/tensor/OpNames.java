package org.vae4j.tensor;

import java.util.Locale;

/**
 * Every op's name, declared once, as error messages and profiles spell it: the primitives,
 * the composites, and each value of the op enums in camel case ({@code LOG_SIGMOID} is
 * {@code logSigmoid}).
 */
public final class OpNames {

    public static final String FROM_ARRAY = "fromArray";
    public static final String TO_ARRAY = "toArray";
    public static final String FULL = "full";
    public static final String MATMUL = "matmul";
    public static final String RESHAPE = "reshape";
    public static final String TRANSPOSE = "transpose";
    public static final String SLICE = "slice";
    public static final String PAD = "pad";
    public static final String BROADCAST_TO = "broadcastTo";
    public static final String CONCAT = "concat";
    public static final String GATHER_ROWS = "gatherRows";
    public static final String SCATTER_ADD_ROWS = "scatterAddRows";
    public static final String ONE_HOT = "oneHot";
    public static final String LINEAR = "linear";
    public static final String LINEAR_RELU = "linearRelu";
    public static final String LOG_SUM_EXP = "logSumExp";
    public static final String SOFTMAX = "softmax";
    public static final String SQUARED_DISTANCES = "squaredDistances";
    public static final String RELU_BACKWARD = "reluBackward";
    public static final String BCE_WITH_LOGITS_SUM = "bceWithLogitsSum";
    public static final String BCE_WITH_LOGITS_BACKWARD = "bceWithLogitsBackward";
    public static final String GAUSSIAN_KL = "gaussianKl";
    public static final String ADAM_UPDATE = "adamUpdate";
    public static final String CONV2D = "conv2d";
    public static final String CONV_TRANSPOSE2D = "convTranspose2d";
    public static final String CONV2D_BACKWARD_INPUT = "conv2dBackwardInput";
    public static final String CONV2D_BACKWARD_FILTER = "conv2dBackwardFilter";
    public static final String MAX_POOL2D = "maxPool2d";
    public static final String MAX_POOL2D_BACKWARD = "maxPool2dBackward";
    public static final String AVG_POOL2D = "avgPool2d";
    public static final String AVG_POOL2D_BACKWARD = "avgPool2dBackward";

    private static final String[] UNARY = camelNames(UnaryOp.values());
    private static final String[] BINARY = camelNames(BinaryOp.values());
    private static final String[] REDUCE = camelNames(ReduceOp.values());
    private static final String[] ARG = camelNames(ArgOp.values());

    private OpNames() {
    }

    public static String of(UnaryOp op) {
        return UNARY[op.ordinal()];
    }

    public static String of(BinaryOp op) {
        return BINARY[op.ordinal()];
    }

    public static String of(ReduceOp op) {
        return REDUCE[op.ordinal()];
    }

    public static String of(ArgOp op) {
        return ARG[op.ordinal()];
    }

    /** Made once per enum, so naming an op in the hot path is an array read. */
    private static String[] camelNames(Enum<?>[] ops) {
        String[] names = new String[ops.length];
        for (Enum<?> op : ops) {
            String[] words = op.name().toLowerCase(Locale.ROOT).split("_");
            StringBuilder sb = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) {
                sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
            names[op.ordinal()] = sb.toString();
        }
        return names;
    }
}
