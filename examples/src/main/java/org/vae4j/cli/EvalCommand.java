package org.vae4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.LikelihoodEstimator;
import org.vae4j.model.Model;
import org.vae4j.model.Reconstructor;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.Evaluator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae4j eval}: a trained model's loss terms on the MNIST test set. */
@Command(name = "eval", sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "vae4j eval --run=DIR [OPTIONS]",
        description = {
            "Evaluate a run's model on the MNIST test set: its loss terms (reconstruction"
                    + " error, KL, negative ELBO), the squared reconstruction error, and for"
                    + " models that estimate likelihoods (vae, cvae, beta-vae) an"
                    + " importance-weighted estimate of the negative log-likelihood.",
            "Values are per test image (nats for likelihoods)."
        },
        footer = {"", "Examples:",
            "  vae4j eval --run runs/vae-20250101-120000",
            "  vae4j eval --run runs/vae-20250101-120000 --iw-samples 1000 --json"})
final class EvalCommand implements Callable<Integer> {

    private static final int BATCH = 500;

    /** Importance samples x images from which the estimate reports its progress. */
    private static final long PROGRESS_WORK = 5_000_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HelpOption help;

    @Option(names = "--run", paramLabel = "DIR", required = true, order = 1,
            description = "The run folder to evaluate (its model.safetensors, else its newest"
                    + " checkpoint).")
    Path run;

    @Option(names = "--iw-samples", paramLabel = "K", defaultValue = "50", order = 2,
            description = "Importance samples per image for the NLL estimate; 0 skips it."
                    + " More is tighter and slower; 0 to " + Flags.IW_SAMPLES_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int iwSamples;

    @Option(names = "--limit", paramLabel = "N", order = 3,
            description = "Evaluate on the first N test images only, 1 to "
                    + Flags.LIMIT_MAX + ".")
    Integer limit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", order = 4,
            description = "Seed of the evaluation's noise, " + Flags.SEED_RANGE
                    + ". Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = RunFolder.ALLOW_NON_FINITE, order = 6,
            description = "Load weights that hold NaN or infinite values (refused otherwise), to"
                    + " look into a diverged run.")
    boolean allowNonFinite;

    @Option(names = "--json", order = 5, description = "Print the results as JSON.")
    boolean json;

    @Option(names = "--normal-classes", paramLabel = "C,C", order = 7,
            description = "Evaluate anomaly detection: records of these classes are normal,"
                    + " all others anomalous (labels from the data). Reports ROC AUC, average"
                    + " precision and precision/recall/F1 at the run's threshold; writes roc.png"
                    + " and scores.png in the run folder.")
    String normalClasses;

    @Option(names = "--anomaly-labels", paramLabel = "FILE", order = 8,
            description = "As --normal-classes, with one label per test record from FILE (1 or"
                    + " 0, true or false, anomaly or normal; one per line, in order).")
    Path anomalyLabels;

    @Option(names = "--score", paramLabel = "NAME", order = 9,
            description = "The anomaly score to evaluate. Default: the calibrated one, else the"
                    + " model's first.")
    String score;

    @Option(names = "--samples", paramLabel = "K", order = 10,
            description = "Draws of z per record for stochastic anomaly scores. Default: the"
                    + " calibration's, else 10.")
    Integer samples;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;
    private AnomalyEvaluation anomaly;

    @Inject
    EvalCommand(ModelRegistry registry, BackendChooser backends) {
        this.registry = registry;
        this.backends = backends;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        Flags.inRange(cl, "--iw-samples", iwSamples, 0, Flags.IW_SAMPLES_MAX);
        Flags.inRange(cl, "--limit", limit, 1, Flags.LIMIT_MAX);
        Flags.inRange(cl, "--samples", samples, 1, Flags.IW_SAMPLES_MAX);
        if (normalClasses != null && anomalyLabels != null) {
            throw Flags.error(cl, "give --normal-classes or --anomaly-labels, not both");
        }
        backendOptions.validate(cl);
        RunFolder folder = RunFolder.open(run);
        Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
        Path weights = folder.weightsFile();
        RunModelCommand.noteWeights(cl, folder);
        org.vae4j.data.Preprocessing stored = DataSource.storedIn(folder);
        Dataset test = DataSource.of(cl, dataOptions, folder.config(), cl.getErr())
                .test(stored);
        boolean table = stored != null && stored.isTable();
        unit = table ? "row" : "image";
        if (limit != null) {
            test = test.take(limit);
        }
        Map<String, Double> results = new LinkedHashMap<>();
        Map<String, Double> terms;
        try (Model model = folder.loadModel(registry, backend, allowNonFinite)) {
            test = model.shaped(test);
            model.checkData(test);
            terms = new Evaluator(seed).evaluate(model, test, BATCH);
            Double rec = terms.get("reconstruction");
            Double kl = terms.get("kl");
            if (rec != null) {
                results.put("reconstruction", rec);
            }
            if (kl != null) {
                results.put("kl", kl);
                if (rec != null) {
                    results.put("negative_elbo", rec + kl);
                }
            }
            if (model instanceof LikelihoodEstimator estimator && iwSamples > 0) {
                results.put("iw_nll", iwNll(estimator, model.backend(), test, iwSamples, seed,
                        cl.getErr()));
            }
            if (model instanceof Reconstructor r) {
                double perImage = squaredError(model, r, test);
                results.put("squared_error_per_image", perImage);
                results.put("mse_per_pixel", perImage / test.features());
            }
            if (normalClasses != null || anomalyLabels != null) {
                anomaly = AnomalyEvaluation.run(folder, model, test, normalClasses,
                        anomalyLabels, score, samples, seed);
            }
            if (table && model instanceof Reconstructor r) {
                columnReport = org.vae4j.eval.ColumnReport.of(stored, test.rows(0, test.size()),
                        reconstructions(model, r, test), test.size());
            }
            print(cl.getOut(), folder, model, backend, weights, test, terms, results);
        }
        return 0;
    }

    /**
     * The mean over {@code test} of the importance-weighted estimate of {@code -log p(x)} with
     * {@code iwSamples} samples (1 gives the one-sample negative ELBO), in nats per example;
     * noise from {@code seed}. A long estimate reports its progress on {@code progress}.
     */
    static double iwNll(LikelihoodEstimator estimator, Backend b, Dataset test, int iwSamples,
            long seed, PrintWriter progress) {
        Rng rng = new Rng(seed);
        double sum = 0;
        // a long estimate (K x images decoder passes) reports its progress on stderr, so that
        // stdout stays the result alone (--json)
        boolean report = (long) iwSamples * test.size() >= PROGRESS_WORK;
        long start = System.nanoTime();
        try (DataLoader loader = DataLoader.builder(test, b).setBatchSize(BATCH).build()) {
            int batches = loader.batchesPerEpoch();
            for (int i = 0; i < batches; i++) {
                if (report && i > 0) {
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    progress.printf(Locale.ROOT, "IW NLL (K=%d): %d of %d images, about %.0f s"
                            + " left%n", iwSamples, i * BATCH, test.size(),
                            elapsed / i * (batches - i));
                    progress.flush();
                }
                try (TensorScope scope = b.newScope()) {
                    for (float v : estimator.logLikelihood(loader.batch(0, i), iwSamples, rng)
                            .toArray()) {
                        sum -= v;
                    }
                }
            }
        }
        return sum / test.size();
    }

    /** The unit the figures are per: "image", or "row" for a table. */
    private String unit = "image";

    /** A table's per-column reconstruction quality, or null. */
    private java.util.List<org.vae4j.eval.ColumnReport.Row> columnReport;

    private static float[] reconstructions(Model model, Reconstructor r, Dataset test) {
        Backend b = model.backend();
        float[] all = new float[test.size() * test.features()];
        int at = 0;
        try (DataLoader loader = DataLoader.builder(test, b).setBatchSize(BATCH).build()) {
            for (int i = 0; i < loader.batchesPerEpoch(); i++) {
                try (TensorScope scope = b.newScope()) {
                    float[] v = r.reconstruct(loader.batch(0, i)).toArray();
                    System.arraycopy(v, 0, all, at, v.length);
                    at += v.length;
                }
            }
        }
        return all;
    }

    /** The mean over {@code test} of the squared reconstruction error per example. */
    static double squaredError(Model model, Reconstructor r, Dataset test) {
        Backend b = model.backend();
        double sum = 0;
        try (DataLoader loader = DataLoader.builder(test, b).setBatchSize(BATCH).build()) {
            for (int i = 0; i < loader.batchesPerEpoch(); i++) {
                try (TensorScope scope = b.newScope()) {
                    Batch batch = loader.batch(0, i);
                    var reconstruction = r.reconstruct(batch);
                    // a conv model's batch holds images, its reconstructions are flat rows
                    var diff = b.sub(reconstruction, b.reshape(batch.x(),
                            reconstruction.shape()));
                    for (float v : b.sum(b.mul(diff, diff), false, 1).toArray()) {
                        sum += v;
                    }
                }
            }
        }
        return sum / test.size();
    }

    private void print(PrintWriter out, RunFolder folder, Model model, Backend backend,
            Path weights, Dataset test, Map<String, Double> terms, Map<String, Double> results)
            throws Exception {
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("run", folder.dir().toString());
            root.put("model", model.typeName());
            root.put("weights", weights.toString());
            root.put("backend", backend.name());
            root.put("test_images", test.size());
            ObjectNode t = root.putObject("terms");
            terms.forEach(t::put);
            results.forEach(root::put);
            if (results.containsKey("iw_nll")) {
                root.put("iw_samples", iwSamples);
            }
            if (anomaly != null) {
                root.set("anomaly", anomaly.toJson(mapper));
            }
            root.put("per", unit);
            if (columnReport != null) {
                var cols = root.putArray("columns");
                for (var c : columnReport) {
                    ObjectNode n = cols.addObject();
                    n.put("column", c.column());
                    n.put("type", c.type());
                    n.put("metric", c.metric());
                    n.put("model", c.model());
                    n.put("mean_or_mode", c.baseline());
                }
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            out.flush();
            return;
        }
        boolean vaeFamily = terms.containsKey("kl");
        out.printf(Locale.ROOT, "%s (%s, weights %s) on %d test %ss, backend %s%n%n",
                folder.dir(), model.typeName(), folder.dir().relativize(weights), test.size(),
                unit, backend.name());
        // The table leaves out rows that repeat another: a VAE's loss is its negative ELBO, an
        // autoencoder's loss and reconstruction term are its squared error.
        Double rec = results.get("reconstruction");
        boolean recIsSquaredError = !vaeFamily && rec != null
                && results.containsKey("squared_error_per_image")
                && Math.abs(rec - results.get("squared_error_per_image")) <= 1e-3 * (1 + rec);
        terms.forEach((k, v) -> {
            boolean repeats = k.equals("loss") && (same(v, results.get("negative_elbo"))
                    || recIsSquaredError && same(v, rec));
            if (!k.equals("reconstruction") && !k.equals("kl") && !repeats) {
                row(out, k.equals("loss") ? "loss (objective)" : k, number(v));
            }
        });
        if (results.containsKey("reconstruction") && !recIsSquaredError) {
            row(out, "reconstruction", number(results.get("reconstruction"))
                    + (vaeFamily ? "  -log p(x|z), nats per " + unit + ", one z ~ q(z|x)"
                    : "  squared error per " + unit));
        }
        if (results.containsKey("kl")) {
            row(out, "KL", number(results.get("kl")) + "  KL(q(z|x) || p(z)), nats per "
                    + unit);
        }
        if (results.containsKey("negative_elbo")) {
            row(out, "negative ELBO", number(results.get("negative_elbo"))
                    + "  reconstruction + KL, nats per " + unit);
        }
        if (results.containsKey("iw_nll")) {
            row(out, "IW NLL (K=" + iwSamples + ")", number(results.get("iw_nll"))
                    + "  importance-weighted estimate of -log p(x), nats per " + unit);
        }
        if (results.containsKey("squared_error_per_image")) {
            row(out, "squared error", number(results.get("squared_error_per_image"))
                    + "  ||x - reconstruction||^2 per " + unit
                    + (table() ? "" : " (compare: vae4j pca)"));
            row(out, "MSE per pixel", String.format(Locale.ROOT, "%12.5f",
                    results.get("mse_per_pixel")).substring(2) + "  the same, per pixel");
        }
        if (anomaly != null) {
            anomaly.print(out);
        }
        if (columnReport != null) {
            out.println();
            out.println("per column, reconstructed from the posterior mean (RMSE in the column's"
                    + " units, accuracy):");
            out.print(org.vae4j.eval.ColumnReport.format(columnReport));
        }
        out.flush();
    }

    private boolean table() {
        return unit.equals("row");
    }

    private static boolean same(double a, Double b) {
        return b != null && Math.abs(a - b) <= 1e-6 * (1 + Math.abs(a));
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%10.3f", v);
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf(Locale.ROOT, "%-20s %s%n", name, value);
    }
}
