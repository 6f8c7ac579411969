package org.vae4j.cli.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.vae4j.model.Model;
import org.vae4j.models.Codebook;
import org.vae4j.nn.Activation;
import org.vae4j.nn.BatchNorm;
import org.vae4j.nn.Conv2d;
import org.vae4j.nn.ConvTranspose2d;
import org.vae4j.nn.Flatten;
import org.vae4j.nn.GroupNorm;
import org.vae4j.nn.Layer;
import org.vae4j.nn.Linear;
import org.vae4j.nn.Module;
import org.vae4j.nn.Parameter;
import org.vae4j.nn.Sequential;
import org.vae4j.nn.Unflatten;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.Shape;

/**
 * How a vae4j model's parameters and buffers map to a PyTorch {@code state_dict}, and the
 * {@code torch.nn} modules that hold them. It is derived from the model's own module tree, not
 * written per model: every {@link Sequential} becomes an {@code nn.Sequential} whose position
 * {@code i} is the PyTorch module of vae4j layer {@code i} (vae4j names a Sequential's children by
 * position as PyTorch does, so {@code encoder.0.weight} keeps its name); each layer kind says how
 * its tensors are laid out ({@link Linear}'s {@code (in x out)} weight is transposed to
 * {@code nn.Linear}'s {@code (out x in)}; convolutions are OIHW, transposed convolutions IOHW, as
 * in PyTorch; a {@link BatchNorm} adds the int64 counter {@code num_batches_tracked}); a
 * {@link Codebook}'s vectors are an {@code nn.Embedding} weight; any other module's own tensors
 * keep their names as parameters or buffers. A layer with no PyTorch counterpart here is an
 * error naming it and its path, and so is any tensor of the model the walk did not reach.
 */
public final class PytorchLayout {

    /** How a tensor's values are laid out in PyTorch relative to vae4j. */
    public enum Transform {
        /** The same shape and row-major values. */
        AS_IS,
        /** A matrix transposed: vae4j's {@code (in x out)} is PyTorch's {@code (out x in)}. */
        TRANSPOSE
    }

    /** One float32 tensor of the state dict and the vae4j tensor it is. */
    public record Entry(String vae4jName, String torchName, Transform transform, Shape vae4jShape,
            Shape torchShape) {

        /** vae4j's values in PyTorch's layout. */
        public float[] toTorch(float[] values) {
            return transform == Transform.AS_IS ? values.clone()
                    : transpose(values, vae4jShape.dim(0), vae4jShape.dim(1));
        }

        /** PyTorch's values in vae4j's layout. */
        public float[] toVae4j(float[] values) {
            return transform == Transform.AS_IS ? values.clone()
                    : transpose(values, torchShape.dim(0), torchShape.dim(1));
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<String> counters = new ArrayList<>();
    private final StringBuilder modules = new StringBuilder();

    private PytorchLayout() {
    }

    /**
     * The layout of {@code model}'s state; throws {@link ExportException} naming the first layer
     * or module it cannot express.
     */
    public static PytorchLayout of(Model model) {
        PytorchLayout layout = new PytorchLayout();
        Map<String, Parameter> state = model.state();
        layout.ownTensors(model, "", "self", state);
        for (Map.Entry<String, Module> child : model.children().entrySet()) {
            layout.module(model, child.getKey(), child.getValue(), "self", state);
        }
        TreeSet<String> unmapped = new TreeSet<>(state.keySet());
        layout.entries.forEach(e -> unmapped.remove(e.vae4jName()));
        if (!unmapped.isEmpty()) {
            throw new ExportException(model.typeName() + ": no PyTorch layout for "
                    + String.join(", ", unmapped));
        }
        return layout;
    }

    /** The float32 tensors, in the order of the model's state. */
    public List<Entry> entries() {
        return entries;
    }

    /** The names of the int64 batch counters ({@code ...num_batches_tracked}), shape []. */
    public List<String> counters() {
        return counters;
    }

    /** The Python statements of {@code __init__} that create the modules, one per line. */
    String moduleCode() {
        return modules.toString();
    }

    /** Every state-dict name with its PyTorch shape, for error messages. */
    public Map<String, String> expectedShapes() {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.torchName(), shapeText(e.torchShape()) + " float32"));
        counters.forEach(c -> out.put(c, "[] int64"));
        return out;
    }

    // ---------------------------------------------------------------- the walk

    private void module(Model model, String path, Module m, String owner,
            Map<String, Parameter> state) {
        if (m.state().isEmpty()) {
            return; // nothing to hold (e.g. a Bernoulli likelihood)
        }
        String name = last(path);
        boolean identifier = name.matches("[A-Za-z_][A-Za-z0-9_]*");
        String target = identifier ? owner + "." + name : owner + "._modules[\"" + name + "\"]";
        String assign = identifier ? target + " = " : owner + ".add_module(\"" + name + "\", ";
        String close = identifier ? "" : ")";
        if (m instanceof Sequential seq) {
            modules.append(assign).append("nn.Sequential(\n");
            boolean images = false;
            for (int i = 0; i < seq.layers().size(); i++) {
                Layer l = seq.layers().get(i);
                String at = path + "." + i;
                modules.append("    ").append(layer(model, at, l, images, state)).append(",\n");
                images = producesImages(l, images);
            }
            modules.append(")").append(close).append("\n");
            return;
        }
        if (m instanceof Codebook cb) {
            modules.append(assign).append("Codebook(").append(cb.size()).append(", ")
                    .append(cb.dim()).append(")").append(close).append("\n");
            entries.add(same(path + ".embedding", path + ".embedding.weight", state));
            for (Map.Entry<String, Parameter> e : own(cb, path, state).entrySet()) {
                if (!e.getKey().equals("embedding")) {
                    raw(target, path, e.getKey(), e.getValue());
                }
            }
            return;
        }
        modules.append(assign).append("nn.Module()").append(close).append("\n");
        ownTensors(m, path, target, state);
        for (Map.Entry<String, Module> child : m.children().entrySet()) {
            module(model, path + "." + child.getKey(), child.getValue(), target, state);
        }
    }

    /** A module's own tensors (not its children's) as parameters or buffers of that name. */
    private void ownTensors(Module m, String path, String target, Map<String, Parameter> state) {
        own(m, path, state).forEach((name, p) -> raw(target, path, name, p));
    }

    private void raw(String target, String path, String name, Parameter p) {
        String full = path.isEmpty() ? name : path + "." + name;
        entries.add(new Entry(full, full, Transform.AS_IS, p.shape(), p.shape()));
        String zeros = "torch.zeros(" + dims(p.shape()) + ")";
        if (p.isTrainable()) {
            modules.append(target).append(".register_parameter(\"").append(name)
                    .append("\", nn.Parameter(").append(zeros).append("))\n");
        } else {
            modules.append(target).append(".register_buffer(\"").append(name).append("\", ")
                    .append(zeros).append(")\n");
        }
    }

    private static Map<String, Parameter> own(Module m, String path,
            Map<String, Parameter> state) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        m.state().forEach((name, p) -> {
            if (!name.contains(".")) {
                out.put(name, p);
            }
        });
        return out;
    }

    /** The PyTorch module of one layer at {@code at}, registering its tensors. */
    private String layer(Model model, String at, Layer l, boolean images,
            Map<String, Parameter> state) {
        if (l instanceof Linear lin) {
            entries.add(new Entry(at + ".weight", at + ".weight", Transform.TRANSPOSE,
                    lin.weight().shape(), Shape.of(lin.outFeatures(), lin.inFeatures())));
            entries.add(same(at + ".bias", at + ".bias", state));
            return "nn.Linear(" + lin.inFeatures() + ", " + lin.outFeatures() + ")";
        }
        if (l instanceof Conv2d conv) {
            Shape w = conv.weight().shape();
            entries.add(same(at + ".weight", at + ".weight", state));
            if (conv.bias() != null) {
                entries.add(same(at + ".bias", at + ".bias", state));
            }
            return "nn.Conv2d(" + w.dim(1) + ", " + w.dim(0) + ", " + pair(w.dim(2), w.dim(3))
                    + convArgs(conv.spec()) + ", bias=" + pyBool(conv.bias() != null) + ")";
        }
        if (l instanceof ConvTranspose2d conv) {
            Shape w = conv.weight().shape();
            entries.add(same(at + ".weight", at + ".weight", state));
            if (conv.bias() != null) {
                entries.add(same(at + ".bias", at + ".bias", state));
            }
            int[] extra = conv.outputPadding();
            return "nn.ConvTranspose2d(" + w.dim(0) + ", " + w.dim(1) + ", "
                    + pair(w.dim(2), w.dim(3)) + convArgs(conv.spec()) + ", output_padding="
                    + pair(extra[0], extra[1]) + ", bias=" + pyBool(conv.bias() != null) + ")";
        }
        if (l instanceof BatchNorm bn) {
            for (String t : List.of("weight", "bias", "running_mean", "running_var")) {
                entries.add(same(at + "." + t, at + "." + t, state));
            }
            counters.add(at + ".num_batches_tracked");
            return "nn.BatchNorm" + (images ? "2d(" : "1d(") + bn.channels() + ", eps="
                    + number(bn.eps()) + ", momentum=" + number(bn.momentum()) + ")";
        }
        if (l instanceof GroupNorm gn) {
            entries.add(same(at + ".weight", at + ".weight", state));
            entries.add(same(at + ".bias", at + ".bias", state));
            return "nn.GroupNorm(" + gn.groups() + ", " + gn.channels() + ", eps="
                    + number(gn.eps()) + ")";
        }
        if (l instanceof Flatten) {
            return "nn.Flatten()";
        }
        if (l instanceof Unflatten u) {
            return "nn.Unflatten(1, (" + dims(u.exampleShape()) + ",))";
        }
        if (l instanceof Activation a) {
            return switch (a) {
                case IDENTITY -> "nn.Identity()";
                case RELU -> "nn.ReLU()";
                case TANH -> "nn.Tanh()";
                case SIGMOID -> "nn.Sigmoid()";
                case SOFTPLUS -> "nn.Softplus()";
                case LEAKY_RELU -> "nn.LeakyReLU(" + number(Activation.LEAKY_SLOPE) + ")";
                case GELU -> "nn.GELU()";
            };
        }
        throw new ExportException(model.typeName() + ": the layer " + l + " ("
                + l.getClass().getSimpleName() + ") at " + at + " has no PyTorch counterpart in"
                + " the export; it knows Linear, Conv2d, ConvTranspose2d, BatchNorm, GroupNorm,"
                + " Flatten, Unflatten and the activations");
    }

    private static boolean producesImages(Layer l, boolean before) {
        if (l instanceof Conv2d || l instanceof ConvTranspose2d || l instanceof Unflatten) {
            return true;
        }
        if (l instanceof Flatten || l instanceof Linear) {
            return false;
        }
        return before;
    }

    private static Entry same(String vae4jName, String torchName, Map<String, Parameter> state) {
        Parameter p = state.get(vae4jName);
        if (p == null) {
            throw new ExportException("the model has no tensor " + vae4jName + " where its layer"
                    + " keeps one");
        }
        return new Entry(vae4jName, torchName, Transform.AS_IS, p.shape(), p.shape());
    }

    private static String convArgs(ConvSpec s) {
        return ", stride=" + pair(s.strideH(), s.strideW()) + ", padding="
                + pair(s.padH(), s.padW()) + ", dilation=" + pair(s.dilationH(), s.dilationW());
    }

    private static String pair(int a, int b) {
        return "(" + a + ", " + b + ")";
    }

    private static String pyBool(boolean b) {
        return b ? "True" : "False";
    }

    /** A float as Python reads it back to the same float32. */
    static String number(float v) {
        return Float.toString(v).toLowerCase(Locale.ROOT);
    }

    private static String dims(Shape s) {
        return Arrays.stream(s.dims()).mapToObj(Integer::toString)
                .collect(Collectors.joining(", "));
    }

    static String shapeText(Shape s) {
        return "[" + dims(s) + "]";
    }

    private static String last(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static float[] transpose(float[] v, int rows, int cols) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = v[r * cols + c];
            }
        }
        return out;
    }
}
