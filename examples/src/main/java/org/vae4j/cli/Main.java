package org.vae4j.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vae4j} program: one subcommand per class in this package. The commands are built
 * by Guice (see {@link GuiceFactory}) from {@link ModelRegistryModule}, {@link ListenerModule}
 * and any extra modules given to {@link #commandLine(Module...)}; the backend is bound by core's
 * {@link org.vae4j.tensor.BackendModule} once a command knows its {@code --backend}.
 */
@Command(
        name = "vae4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Autoencoders (AE, DAE, VAE, CVAE, beta-VAE, VQ-VAE) on EJML, ND4J or TensorFlow.",
            "",
            "Start with: vae4j train    (a VAE on MNIST with the classic settings; the run",
            "folder under runs/ gets the weights, metrics and pictures)"
        },
        footer = {"", "Run 'vae4j COMMAND --help' for a command's options.",
            "",
            "Exit codes:",
            "  0    success",
            "  1    failure (a missing or damaged file, diverged training, a full disk, ...)",
            "  2    usage error (a bad flag or value, an unknown model or backend name, a bad"
                    + " model setting)",
            "  130  interrupted (Ctrl-C, SIGINT)",
            "  143  terminated (SIGTERM)",
            "Errors are one line; --debug (or VAE4J_DEBUG=1) adds the stack trace."},
        subcommands = {
            TrainCommand.class,
            ResumeCommand.class,
            EvalCommand.class,
            ScoreCommand.class,
            CalibrateCommand.class,
            SampleCommand.class,
            ReconstructCommand.class,
            InterpolateCommand.class,
            EmbedCommand.class,
            PcaCommand.class,
            ModelsCommand.class,
            BackendsCommand.class,
            BenchCommand.class,
            BenchmarkCommand.class,
            CompareCommand.class,
            ServeCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    static {
        // JavaCPP prints its own warnings on stderr; through SLF4J they obey
        // simplelogger.properties, which keeps org.bytedeco's errors and drops the warning that
        // ND4J's openblas was built for another javacpp than the pinned one.
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
    }

    /** The flag that adds stack traces to error messages, on every command. */
    static final String DEBUG = "--debug";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = DEBUG, scope = CommandLine.ScopeType.INHERIT, order = 98,
            description = "Print the stack trace of an error (as VAE4J_DEBUG=1 does).")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the program and exits with its status. */
    public static void main(String[] args) {
        // Pictures are drawn off screen; never try to reach a display.
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** Runs the program and returns its exit status (0 on success). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The configured command line, shared by {@link #main} and the tests. {@code extraModules}
     * add bindings, e.g. more training listeners through
     * {@code Multibinder.newSetBinder(binder(), TrainingListener.class)}.
     */
    public static CommandLine commandLine(Module... extraModules) {
        List<Module> modules = new ArrayList<>();
        modules.add(new ModelRegistryModule());
        modules.add(new ListenerModule());
        modules.addAll(List.of(extraModules));
        Injector injector = Guice.createInjector(modules);
        CommandLine cl = new CommandLine(Main.class, new GuiceFactory(injector));
        ModelFlags.install(cl, injector.getInstance(ModelRegistry.class).list());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // an empty path would silently mean the current folder: refuse it for every path flag
        cl.registerConverter(Path.class, Main::nonEmptyPath);
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    private static Path nonEmptyPath(String value) {
        if (value.isBlank()) {
            throw new CommandLine.TypeConversionException("an empty path; give a file or folder");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a valid path: "
                    + e.getReason());
        }
    }
}
