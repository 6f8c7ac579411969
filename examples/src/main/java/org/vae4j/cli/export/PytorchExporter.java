package org.vae4j.cli.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Int64Data;
import org.vae4j.io.Safetensors;
import org.vae4j.io.TensorData;
import org.vae4j.model.Model;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.Shape;
import org.vae4j.train.ModelWeights;

/**
 * {@code vae4j export --format pytorch}: writes a model as a PyTorch state dict
 * ({@code model.safetensors}, names and layouts of {@link PytorchLayout}), the
 * {@code torch.nn.Module} that loads it ({@code model.py}) and a {@code config.json}.
 */
public final class PytorchExporter {

    /** The {@code "format"} of the export's config.json. */
    public static final String FORMAT = "vae4j-pytorch-export";
    public static final String STATE_FILE = "model.safetensors";
    public static final String CODE_FILE = "model.py";
    public static final String CONFIG_FILE = "config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PytorchExporter() {
    }

    /** The state dict of {@code model} in PyTorch's names and layouts, float32 tensors. */
    public static Map<String, TensorData> stateDict(Model model, PytorchLayout layout) {
        Map<String, Parameter> state = model.state();
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (PytorchLayout.Entry e : layout.entries()) {
            float[] values = state.get(e.vae4jName()).toArray();
            out.put(e.torchName(), new TensorData(e.torchShape(), e.toTorch(values)));
        }
        return out;
    }

    /**
     * Exports {@code model} into the folder {@code out} (see {@link ExportFolder}: nothing is
     * left on failure; an existing folder only with {@code force}). Returns the layout used.
     */
    public static PytorchLayout export(Model model, Path out, boolean force) throws IOException {
        PytorchLayout layout = PytorchLayout.of(model);
        PytorchModelCode.Family family = PytorchModelCode.familyOf(model);
        Map<String, TensorData> floats = stateDict(model, layout);
        Map<String, Int64Data> counters = new LinkedHashMap<>();
        // vae4j's batch norm does not count batches; its momentum is fixed, so PyTorch never
        // reads the counter either
        layout.counters().forEach(c -> counters.put(c, Int64Data.scalar(0)));
        String config = config(model, layout, family);
        String code = PytorchModelCode.source(model, layout, family, config);
        Map<String, String> metadata = new LinkedHashMap<>(ModelWeights.metadata(model));
        metadata.put("format", "pt");
        metadata.put("vae4j_format", FORMAT);
        ExportFolder.write(out, force, FORMAT, dir -> {
            Safetensors.write(dir.resolve(STATE_FILE), floats, counters, metadata);
            AtomicFiles.writeString(dir.resolve(CODE_FILE), code);
            AtomicFiles.writeString(dir.resolve(CONFIG_FILE), config);
        });
        return layout;
    }

    private static String config(Model model, PytorchLayout layout,
            PytorchModelCode.Family f) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.put("model", model.typeName());
        root.set("model_config", JSON.readTree(model.config().toJson()));
        root.put("family", f.name());
        root.put("module", "model.Vae4jModel");
        root.set("input_shape", dims(model.inputShape()));
        root.put("latent", f.latent());
        root.put("classes", f.classes());
        root.put("state_dict", STATE_FILE);
        root.put("tensors", layout.entries().size() + layout.counters().size());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    private static ArrayNode dims(Shape s) {
        ArrayNode a = JSON.createArrayNode();
        for (int d : s.dims()) {
            a.add(d);
        }
        return a;
    }
}
