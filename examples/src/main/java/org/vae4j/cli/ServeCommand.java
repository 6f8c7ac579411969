package org.vae4j.cli;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.cli.serve.ModelServer;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import org.vae4j.tensor.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae4j serve}: a JSON API and an explorer page over a run's model. */
@Command(name = "serve", sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "vae4j serve --run=DIR [OPTIONS]",
        description = {
            "Load a run's model once and serve it over HTTP: a JSON API under /api/v1/"
                    + " (described by /api/v1/openapi.json) and an explorer page at /.",
            "Requests are answered in parallel and take turns for the model itself. Ctrl-C or"
                    + " SIGTERM lets the requests in flight finish, then exits."
        },
        footer = {"", "Example:",
            "  vae4j serve --run runs/vae-20250101-120000 --port 8080"})
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--run", paramLabel = "DIR", required = true, order = 1,
            description = "The run folder whose model to serve.")
    Path run;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", order = 2,
            description = "The address to listen on. Default: ${DEFAULT-VALUE} (this machine"
                    + " only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", order = 3,
            description = "The port, 0 for any free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--max-body", paramLabel = "BYTES", order = 4,
            description = "Largest request body; larger ones get 413. Default: 8388608 (8 MiB).")
    Long maxBody;

    @Option(names = RunFolder.ALLOW_NON_FINITE, order = 10,
            description = "Load weights that hold NaN or infinite values (refused otherwise).")
    boolean allowNonFinite;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;

    @Inject
    ServeCommand(ModelRegistry registry, BackendChooser backends) {
        this.registry = registry;
        this.backends = backends;
    }

    /** A server started on the parsed options; closing it closes the model too. */
    Served open() throws IOException {
        CommandLine cl = spec.commandLine();
        backendOptions.validate(cl);
        Flags.inRange(cl, "--port", port, 0, 65535);
        Flags.inRange(cl, "--max-body", maxBody, 1024L, 1L << 30);
        RunFolder folder = RunFolder.open(run);
        Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
        RunModelCommand.noteWeights(cl, folder);
        Model model = folder.loadModel(registry, backend, allowNonFinite);
        try {
            AnomalyDetector detector = null;
            try {
                detector = AnomalyData.detector(folder, model, null, null, 1);
            } catch (CliException e) {
                cl.getErr().println("note: no /api/v1/score: " + e.getMessage());
            }
            Dataset examples = null;
            try {
                examples = model.shaped(DataSource.of(cl, dataOptions, folder.config(),
                        cl.getErr()).test(DataSource.storedIn(folder)));
            } catch (CliException | IOException e) {
                cl.getErr().println("note: no test examples for the explorer: "
                        + e.getMessage());
            }
            ModelServer server = ModelServer.start(model, detector, examples,
                    folder.resolve(RunFolder.METRICS), host, port,
                    maxBody != null ? maxBody : ModelServer.DEFAULT_MAX_BODY);
            return new Served(server, model);
        } catch (RuntimeException e) {
            model.close();
            throw new CliException("cannot serve on " + host + ":" + port + ": " + e.getMessage());
        }
    }

    /** A running server and the model it serves. */
    record Served(ModelServer server, Model model) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                model.close();
            }
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Served served = open();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            served.close();
            stopped.countDown();
        }, "vae4j-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String shown = host.contains(":") ? "[" + host + "]" : host;
        spec.commandLine().getOut().println("serving " + served.model().typeName() + " from "
                + run + " at http://" + shown + ":" + served.server().port() + "/");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
