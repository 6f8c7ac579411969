package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import com.google.inject.Inject;
import java.util.Map;
import org.vae4j.cli.export.OnnxExporter;
import org.vae4j.cli.export.PytorchExporter;
import org.vae4j.cli.export.PytorchLayout;
import org.vae4j.anomaly.ScoreOptions;
import org.vae4j.anomaly.Threshold;
import org.vae4j.model.Model;
import org.vae4j.onnx.proto.Onnx.ModelProto;
import org.vae4j.tensor.Backend;
import org.vae4j.trace.TracingBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae4j export}: writes a run's model in another framework's format. */
@Command(name = "export", sortOptions = false, usageHelpAutoWidth = true,
        customSynopsis = "vae4j export --run=DIR --format=pytorch|onnx [--out=DIR] [--force]",
        description = {
            "Write a run's model for another framework.",
            "pytorch: model.safetensors (a state dict with PyTorch's names and layouts),"
                    + " model.py (the matching torch.nn.Module) and config.json.",
            "onnx: encoder.onnx, decoder.onnx and, for a model with anomaly scores, score.onnx"
                    + " (opset 17, dynamic batch N, weights inside; a stochastic score's draws are"
                    + " inputs), traced from the model's primitives, and config.json."
        },
        footer = {"", "Examples:",
            "  vae4j export --run runs/vae-20250101-120000 --format pytorch",
            "  vae4j export --run runs/vae-20250101-120000 --format pytorch --out vae-torch"
                    + " --force",
            "  vae4j export --run runs/vae-20250101-120000 --format onnx",
            "  vae4j export --run runs/vae-20250101-120000 --format onnx --score"
                    + " reconstruction-error --force"})
final class ExportCommand implements Callable<Integer> {

    static final String PYTORCH = "pytorch";
    static final String ONNX = "onnx";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--run", paramLabel = "DIR", required = true, order = 1,
            description = "The run folder whose model to export.")
    Path run;

    @Option(names = "--format", paramLabel = "NAME", required = true, order = 2,
            description = "The format: " + PYTORCH + " or " + ONNX + ".")
    String format;

    @Option(names = "--out", paramLabel = "DIR", order = 3,
            description = "The folder to write. Default: FORMAT in the run folder.")
    Path out;

    @Option(names = "--force", order = 4,
            description = "Replace --out if it holds an earlier export (else that is refused).")
    boolean force;

    @Option(names = "--score", paramLabel = "NAME", order = 5,
            description = "onnx: the score score.onnx computes. Default: the calibrated one"
                    + " (threshold.json), else the model's first.")
    String score;

    @Option(names = "--samples", paramLabel = "K", order = 6,
            description = "onnx: draws of z per example of a stochastic score, each a noise"
                    + " input of score.onnx. Default: the calibration's, else 10.")
    Integer samples;

    @Mixin
    BackendOptions backendOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;

    @Inject
    ExportCommand(ModelRegistry registry, BackendChooser backends) {
        this.registry = registry;
        this.backends = backends;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        backendOptions.validate(cl);
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (!f.equals(PYTORCH) && !f.equals(ONNX)) {
            throw Flags.error(cl, "--format must be " + PYTORCH + " or " + ONNX + ", got '"
                    + format + "'");
        }
        Flags.inRange(cl, "--samples", samples, 1, Flags.IW_SAMPLES_MAX);
        if (!f.equals(ONNX) && (score != null || samples != null)) {
            throw Flags.error(cl, (score != null ? "--score" : "--samples") + " is for --format"
                    + " onnx (score.onnx), not " + f);
        }
        RunFolder folder = RunFolder.open(run);
        Path dir = out != null ? out : folder.resolve(f);
        if (f.equals(ONNX)) {
            RunModelCommand.noteWeights(cl, folder);
            Threshold t = Threshold.exists(folder.dir()) ? Threshold.load(folder.dir()) : null;
            String which = score != null ? score : t != null ? t.score() : null;
            boolean calibrated = t != null && t.score().equals(which);
            int draws = samples != null ? samples
                    : calibrated ? t.samples() : ScoreOptions.DEFAULT_SAMPLES;
            OnnxExporter.ScoreSpec spec = new OnnxExporter.ScoreSpec(which, draws,
                    calibrated ? t : null);
            List<String> notes = new ArrayList<>();
            try (Model model = folder.loadModel(registry, new TracingBackend())) {
                Map<String, ModelProto> files = OnnxExporter.export(model, dir, force, spec,
                        notes);
                notes.forEach(n -> cl.getErr().println("note: " + n));
                cl.getErr().flush();
                cl.getOut().println("wrote " + dir + " (" + String.join(", ", files.keySet())
                        + ", " + OnnxExporter.CONFIG_FILE + "; opset " + OnnxExporter.OPSET + ")");
                cl.getOut().flush();
            }
            return 0;
        }
        Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
        RunModelCommand.noteWeights(cl, folder);
        try (Model model = folder.loadModel(registry, backend)) {
            PytorchLayout layout = PytorchExporter.export(model, dir, force);
            cl.getOut().println("wrote " + dir + " (" + PytorchExporter.STATE_FILE + ": "
                    + (layout.entries().size() + layout.counters().size()) + " tensors; "
                    + PytorchExporter.CODE_FILE + "; " + PytorchExporter.CONFIG_FILE + ")");
            cl.getOut().flush();
        }
        return 0;
    }
}
