package org.vae4j.cli;

import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.anomaly.Threshold;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import org.vae4j.tensor.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae4j calibrate}: a run's anomaly threshold from held-out normal data. */
@Command(name = "calibrate", sortOptions = false, usageHelpAutoWidth = true,
        customSynopsis = "vae4j calibrate --run=DIR [--data=PATH] [OPTIONS]",
        description = {
            "Calibrate the threshold above which 'score' flags a record: the (1 - p) quantile"
                    + " of the scores of held-out normal data (--contamination p, default"
                    + " 0.05) or its --quantile q. Stored in the run as threshold.json (score,"
                    + " value, quantile, count, data), written atomically.",
            "The data: --data (a path's records, a built-in set's test split), default the"
                    + " run's test data; --normal-classes keeps only those classes."
        },
        footer = {"", "Examples:",
            "  vae4j calibrate --run runs/ae-1 --data normal.csv --contamination 0.01",
            "  vae4j calibrate --run runs/vae-1 --normal-classes 0 --quantile 0.99"})
final class CalibrateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--run", paramLabel = "DIR", required = true, order = 1,
            description = "The run folder to calibrate.")
    Path run;

    @Option(names = "--score", paramLabel = "NAME", order = 2,
            description = "The score to calibrate. Default: the model's first.")
    String score;

    @Option(names = "--contamination", paramLabel = "P", order = 3,
            description = "The share of normal data to flag, strictly between 0 and 1."
                    + " Default: 0.05.")
    Double contamination;

    @Option(names = "--quantile", paramLabel = "Q", order = 4,
            description = "The quantile of normal scores to use, in [0, 1] (instead of"
                    + " --contamination).")
    Double quantile;

    @Option(names = "--normal-classes", paramLabel = "C,C", order = 5,
            description = "Calibrate on the records of these classes only.")
    String normalClasses;

    @Option(names = "--samples", paramLabel = "K", order = 6,
            description = "Draws of z per record for stochastic scores. Default: 10.")
    Integer samples;

    @Option(names = "--limit", paramLabel = "N", order = 7,
            description = "Use the first N records only.")
    Integer limit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", order = 8,
            description = "Seed of the stochastic scores' draws. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;

    @Inject
    CalibrateCommand(ModelRegistry registry, BackendChooser backends) {
        this.registry = registry;
        this.backends = backends;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        backendOptions.validate(cl);
        Flags.inRange(cl, "--samples", samples, 1, Flags.IW_SAMPLES_MAX);
        Flags.inRange(cl, "--limit", limit, 1, Flags.LIMIT_MAX);
        if (contamination != null && quantile != null) {
            throw Flags.error(cl, "give --contamination or --quantile, not both");
        }
        double q;
        try {
            q = quantile != null ? quantile : Threshold.quantileForContamination(
                    contamination != null ? contamination : AnomalyDetector.DEFAULT_CONTAMINATION);
            if (!(q >= 0 && q <= 1)) {
                throw new IllegalArgumentException("--quantile must lie in [0, 1], got " + q);
            }
        } catch (IllegalArgumentException e) {
            throw Flags.error(cl, e.getMessage());
        }
        RunFolder folder = RunFolder.open(run);
        Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
        RunModelCommand.noteWeights(cl, folder);
        // the run's stored preprocessing, never refitted on the data scored
        Dataset data = DataSource.of(cl, dataOptions, folder.config(), cl.getErr())
                .test(DataSource.storedIn(folder));
        if (normalClasses != null) {
            data = AnomalyData.onlyClasses(data,
                    AnomalyData.classes("--normal-classes", normalClasses, data));
        }
        if (limit != null) {
            data = data.take(limit);
        }
        try (Model model = folder.loadModel(registry, backend, false)) {
            Threshold t = calibrate(folder, model, data, score, samples, seed, q);
            cl.getOut().printf(Locale.ROOT, "wrote %s (score %s, threshold %.6g = the %.4g"
                    + " quantile of %d normal records of %s)%n",
                    folder.resolve(Threshold.FILE), t.score(), t.value(), t.quantile(),
                    t.count(), t.data());
            cl.getOut().flush();
        }
        return 0;
    }

    /** Calibrates {@code model} on {@code data} and stores the threshold in {@code folder}. */
    static Threshold calibrate(RunFolder folder, Model model, Dataset data, String score,
            Integer samples, long seed, double quantile) throws java.io.IOException {
        Dataset shaped = model.shaped(data);
        try {
            model.checkData(shaped);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        AnomalyDetector d = AnomalyData.detector(folder, model, score, samples, seed);
        if (score == null) {
            d.score(d.model() instanceof org.vae4j.anomaly.AnomalyScorer s ? s.defaultScore()
                    : d.scoreName());
        }
        try (DataLoader loader = AnomalyData.loader(shaped, model)) {
            d.fitQuantile(loader, quantile);
        }
        d.saveThreshold(folder.dir());
        return d.threshold();
    }
}
