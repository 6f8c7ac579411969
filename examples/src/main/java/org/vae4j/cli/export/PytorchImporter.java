package org.vae4j.cli.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vae4j.io.Int64Data;
import org.vae4j.io.Safetensors;
import org.vae4j.io.SafetensorsFile;
import org.vae4j.io.TensorData;
import org.vae4j.model.Model;
import org.vae4j.nn.Parameter;

/**
 * {@code vae4j import --format pytorch}: loads a PyTorch state dict with the names and layouts
 * of {@link PytorchLayout} (as {@code vae4j export --format pytorch} writes it, or as the
 * exported {@code model.py} saves it after training in PyTorch) into a vae4j model of the same
 * type and settings.
 */
public final class PytorchImporter {

    private PytorchImporter() {
    }

    /**
     * Replaces every parameter and buffer of {@code model} with the file's. Every name, shape and
     * dtype is checked first: missing, extra or mis-shaped tensors are one {@link ExportException}
     * listing each by name with the expected shape, and the model is then unchanged.
     */
    public static void load(Path file, Model model) throws IOException {
        PytorchLayout layout = PytorchLayout.of(model);
        SafetensorsFile sd = Safetensors.read(file, true);
        Map<String, String> expected = layout.expectedShapes();
        List<String> problems = new ArrayList<>();
        for (PytorchLayout.Entry e : layout.entries()) {
            TensorData t = sd.tensors().get(e.torchName());
            if (t == null) {
                problems.add(sd.int64().containsKey(e.torchName())
                        ? e.torchName() + " is int64, expected " + expected.get(e.torchName())
                        : "missing " + e.torchName() + " " + expected.get(e.torchName()));
            } else if (!t.shape().equals(e.torchShape())) {
                problems.add(e.torchName() + " has shape " + PytorchLayout.shapeText(t.shape())
                        + ", expected " + expected.get(e.torchName()));
            } else if (t.firstNonFinite() >= 0) {
                int i = t.firstNonFinite();
                problems.add(e.torchName() + " holds " + t.values()[i] + " at element " + i);
            }
        }
        for (String c : layout.counters()) {
            Int64Data t = sd.int64().get(c);
            if (t == null) {
                problems.add(sd.tensors().containsKey(c) ? c + " is float32, expected [] int64"
                        : "missing " + c + " [] int64");
            } else if (t.shape().size() != 1) {
                problems.add(c + " has shape " + PytorchLayout.shapeText(t.shape())
                        + ", expected [] int64");
            }
        }
        Set<String> extra = new LinkedHashSet<>(sd.tensors().keySet());
        extra.addAll(sd.int64().keySet());
        extra.removeAll(expected.keySet());
        for (String name : extra) {
            TensorData t = sd.tensors().get(name);
            problems.add("unexpected " + name + " " + (t != null
                    ? PytorchLayout.shapeText(t.shape()) + " float32"
                    : PytorchLayout.shapeText(sd.int64().get(name).shape()) + " int64"));
        }
        if (!problems.isEmpty()) {
            throw new ExportException(file + " does not fit a '" + model.typeName() + "' model"
                    + " of these settings (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "): " + String.join("; ", problems));
        }
        Map<String, Parameter> state = model.state();
        for (PytorchLayout.Entry e : layout.entries()) {
            float[] values = sd.tensors().get(e.torchName()).values();
            state.get(e.vae4jName()).assign(e.toVae4j(values));
        }
    }
}
