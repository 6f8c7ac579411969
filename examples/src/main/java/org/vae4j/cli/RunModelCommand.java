package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import org.vae4j.tensor.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The part the picture commands share: {@code --run}, {@code --out}, {@code --seed}, the backend
 * and data options, and loading the run's model.
 */
abstract class RunModelCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--run", paramLabel = "DIR", required = true, order = 1,
            description = "The run folder whose model to use: its model.safetensors, or its"
                    + " newest checkpoint when that is newer (an unfinished training; a note"
                    + " says so).")
    Path run;

    @Option(names = "--out", paramLabel = "FILE.png", order = 2,
            description = "The PNG to write. Default: ${COMMAND-NAME}.png in the run folder.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", order = 9,
            description = "Seed of the choice of images and of the draws, " + Flags.SEED_RANGE
                    + ". Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = RunFolder.ALLOW_NON_FINITE, order = 10,
            description = "Load weights that hold NaN or infinite values (refused otherwise), to"
                    + " look into a diverged run.")
    boolean allowNonFinite;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;

    RunModelCommand(ModelRegistry registry, BackendChooser backends) {
        this.registry = registry;
        this.backends = backends;
    }

    /** What the command does with the loaded model; returns the exit status. */
    abstract int run(RunFolder folder, Model model) throws IOException;

    /** Checks of the command's own flags, before anything is loaded. */
    void validate(CommandLine cl) {
    }

    @Override
    public final Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        backendOptions.validate(cl);
        validate(cl);
        if (out != null && !out.getFileName().toString().toLowerCase().endsWith(".png")) {
            throw Flags.error(cl, "--out must name a .png file, got " + out);
        }
        RunFolder folder = RunFolder.open(run);
        Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
        noteWeights(cl, folder);
        try (Model model = folder.loadModel(registry, backend, allowNonFinite)) {
            return run(folder, model);
        }
    }

    /**
     * Says on stderr which weights a command uses when they are not simply the run's
     * model.safetensors (a newer checkpoint of an unfinished training), and why.
     */
    static void noteWeights(CommandLine cl, RunFolder folder) {
        String note = folder.weights().note();
        if (note != null) {
            cl.getErr().println("note: " + note);
            cl.getErr().flush();
        }
    }

    /** The file to write: {@code --out}, else {@code <run>/<command>.png}. */
    Path outFile(RunFolder folder) {
        return out != null ? out : folder.resolve(spec.name() + ".png");
    }

    /**
     * The test data: {@code --data}'s, else the data the run was trained on (its test set, or
     * the training data itself when it had none).
     */
    Dataset testData(RunFolder folder) throws IOException {
        return DataSource.of(spec.commandLine(), dataOptions, folder.config(),
                spec.commandLine().getErr()).test(DataSource.storedIn(folder));
    }

    /** {@link #testData}, which must be images: this command draws pictures. */
    Dataset imageData(RunFolder folder) throws IOException {
        Dataset data = testData(folder);
        if (!data.hasImageShape()) {
            throw new CliException("'" + spec.name() + "' draws images, but the data set '"
                    + data.name() + "' holds examples of shape " + data.exampleShape()
                    + ", not grey or RGB images (1xHxW or 3xHxW)");
        }
        return data;
    }

    void wrote(Path file, String what) {
        spec.commandLine().getOut().println("wrote " + file + " (" + what + ")");
        spec.commandLine().getOut().flush();
    }
}
