package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import com.google.inject.Inject;
import org.vae4j.cli.export.PytorchImporter;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.tensor.Backend;
import org.vae4j.train.ModelWeights;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vae4j import}: a model trained elsewhere as a new run folder, which eval, score,
 * sample and the other run commands accept.
 */
@Command(name = "import", sortOptions = false, usageHelpAutoWidth = true,
        abbreviateSynopsis = true,
        description = {
            "Read a PyTorch state dict (names and layouts as 'vae4j export --format pytorch'"
                    + " writes them, e.g. trained with its model.py) into a vae4j model of the"
                    + " named type and settings, and write a run folder: config.json and"
                    + " model.safetensors."
        },
        footer = {"", "Examples:",
            "  vae4j import --format pytorch --state trained.safetensors --model vae"
                    + " --out runs/vae-from-torch",
            "  vae4j import --format pytorch --state conv.safetensors --model vae --arch conv"
                    + " --out runs/conv-vae"})
final class ImportCommand implements Callable<Integer>, ModelFlags.Host {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--format", paramLabel = "NAME", required = true, order = 1,
            description = "The format of --state: " + ExportCommand.PYTORCH + ".")
    String format;

    @Option(names = "--state", paramLabel = "FILE.safetensors", required = true, order = 2,
            description = "The state dict to read.")
    Path state;

    @Option(names = "--model", paramLabel = "NAME", required = true, order = 3,
            description = "The model type the state dict is of (ae, dae, vae, cvae, beta-vae,"
                    + " vq-vae); the model settings below must be those it was built with.")
    String model;

    @Option(names = "--out", paramLabel = "DIR", required = true, order = 4,
            description = "The run folder to write.")
    Path out;

    @Option(names = "--force", order = 5,
            description = "Replace the run in --out if it holds one (else that is refused).")
    boolean force;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", order = 6,
            description = "The seed recorded in the run (for later noise); " + Flags.SEED_RANGE
                    + ". Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;

    @Inject
    ImportCommand(ModelRegistry registry, BackendChooser backends) {
        this.registry = registry;
        this.backends = backends;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        backendOptions.validate(cl);
        Flags.notBlank(cl, "--model", model);
        if (!format.trim().toLowerCase(Locale.ROOT).equals(ExportCommand.PYTORCH)) {
            throw Flags.error(cl, "--format must be " + ExportCommand.PYTORCH + ", got '"
                    + format + "'");
        }
        if (!Files.isRegularFile(state)) {
            throw new CliException("the state dict " + state + (Files.exists(state)
                    ? " is not a file" : " does not exist"));
        }
        ModelFlags.Choice choice = ModelFlags.resolve(cl, registry, model);
        NewRun.check(out, force);
        DataSource source = DataSource.of(cl, dataOptions, null, cl.getErr());
        Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
        ModelConfig settings = choice.settings();
        try (Model m = Flags.createModel(cl, registry, choice.provider().name(), settings,
                backend, seed)) {
            // everything is read and checked before the run folder is touched
            PytorchImporter.load(state, m);
            RunConfig config = new RunConfig(choice.provider().name(), m.config(), "adam", 1e-3,
                    128, 0, seed, backend.name(), backendOptions.threads, source.spec(), null,
                    source.cache() == null ? null : source.cache().toAbsolutePath().toString(),
                    0, TrainingFlags.Settings.DEFAULT,
                    OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
            try (NewRun run = NewRun.begin(out, force)) {
                RunFolder.writeConfig(run.work(), config);
                ModelWeights.save(run.work().resolve(RunFolder.WEIGHTS), m);
                run.commit();
            }
            cl.getOut().println("wrote " + out + " (" + RunFolder.CONFIG + ", "
                    + RunFolder.WEIGHTS + ": a '" + m.typeName() + "' model of "
                    + m.parameterCount() + " parameters from " + state + ")");
            cl.getOut().flush();
        }
        return 0;
    }
}
