package org.vae4j.cli;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.anomaly.AnomalyMetrics;
import org.vae4j.anomaly.AnomalyScorer;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.eval.Pca;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.optim.Adam;
import org.vae4j.tensor.Backend;
import org.vae4j.train.Optimizers;
import org.vae4j.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae4j benchmark}: the standard evaluations that train many models. */
@Command(name = "benchmark", usageHelpAutoWidth = true,
        description = "Standard benchmarks that train and score many models.",
        subcommands = {BenchmarkCommand.OneClass.class, ServeLoadCommand.class})
final class BenchmarkCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a benchmark: one-class or serve");
    }

    /**
     * The one-class protocol (Ruff et al. 2018): for each class, train on the training
     * records of that class only, score the whole test set with it as normal, report the ROC
     * AUC of every score the model offers; then the mean over the classes.
     */
    @Command(name = "one-class", sortOptions = false, usageHelpAutoWidth = true,
            description = {"For each class: train a model on that class's training records"
                    + " only, score the whole test set with that class normal and the others"
                    + " anomalous, and print the ROC AUC of each of the model's scores; the"
                    + " last row is the mean over the classes."},
            footer = {"", "Example:",
                "  vae4j benchmark one-class --data mnist --model ae --epochs 10"})
    static final class OneClass implements Callable<Integer> {

        /** The baseline that needs no training: {@link Pca}'s reconstruction error. */
        static final String PCA = "pca";

        /** PCA's code size when --latent is not given: the AE's in the README's table. */
        static final int PCA_COMPONENTS = 16;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        HelpOption help;

        @Option(names = "--model", paramLabel = "NAME", defaultValue = "ae", order = 1,
                description = {"The model type, or pca: the linear baseline (the squared"
                        + " error through --latent principal components, default "
                        + PCA_COMPONENTS + "). Default: ${DEFAULT-VALUE}."})
        String model;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", order = 2,
                description = "Epochs over each class's training records. Default:"
                        + " ${DEFAULT-VALUE}.")
        int epochs;

        @Option(names = "--hidden", paramLabel = "N,N", split = ",", order = 3,
                description = "Hidden layer sizes (the model's default if not given).")
        List<Integer> hidden;

        @Option(names = "--latent", paramLabel = "N", order = 4,
                description = "Latent size (the model's default if not given).")
        Integer latent;

        @Option(names = "--classes", paramLabel = "C,C", order = 5,
                description = "The classes to run (default: all).")
        String classes;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", order = 6,
                description = "Default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Option(names = "--lr", paramLabel = "X", defaultValue = "1e-3", order = 7,
                description = "Adam's learning rate. Default: ${DEFAULT-VALUE}.")
        double learningRate;

        @Option(names = "--samples", paramLabel = "K", defaultValue = "10", order = 8,
                description = "Draws of z per record for stochastic scores. Default:"
                        + " ${DEFAULT-VALUE}.")
        int samples;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", order = 9,
                description = "Seed of the weights, shuffling and draws. Default:"
                        + " ${DEFAULT-VALUE}.")
        long seed;

        @Mixin
        BackendOptions backendOptions;

        @Mixin
        DataOptions dataOptions;

        private final ModelRegistry registry;
        private final BackendChooser backends;

        @Inject
        OneClass(ModelRegistry registry, BackendChooser backends) {
            this.registry = registry;
            this.backends = backends;
        }

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            Flags.inRange(cl, "--epochs", epochs, 1, Flags.EPOCHS_MAX);
            Flags.inRange(cl, "--batch-size", batchSize, 1, Flags.BATCH_SIZE_MAX);
            Flags.inRange(cl, "--samples", samples, 1, Flags.IW_SAMPLES_MAX);
            Flags.positive(cl, "--lr", learningRate, Flags.LR_MAX);
            backendOptions.validate(cl);
            Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
            DataSource source = DataSource.of(cl, dataOptions, null, cl.getErr());
            DataSource.Loaded data = source.load();
            Dataset train = data.train();
            Dataset test = data.test();
            if (!train.hasLabels() || !test.hasLabels()) {
                throw new CliException("the one-class benchmark needs labelled training and"
                        + " test data; '" + train.name() + "' has no labels");
            }
            Set<Integer> which = classes != null
                    ? AnomalyData.classes("--classes", classes, train)
                    : allClasses(train.numClasses());
            boolean pca = PCA.equals(model);
            if (pca && hidden != null) {
                throw Flags.error(cl, "--hidden does not apply to pca; its code size is --latent");
            }
            var out = cl.getOut();
            if (pca) {
                out.printf(Locale.ROOT, "one-class pca on %s: %d components fitted per class,"
                        + " backend %s; ROC AUC of the whole test set (%d records)%n",
                        train.name(), pcaComponents(), backend.name(), test.size());
            } else {
                out.printf(Locale.ROOT, "one-class %s on %s: %d epochs per class, batch %d,"
                        + " Adam %g, backend %s; ROC AUC of the whole test set (%d records)%n",
                        model, train.name(), epochs, batchSize, learningRate, backend.name(),
                        test.size());
            }
            List<String> names = null;
            Map<String, List<Double>> aucs = new LinkedHashMap<>();
            for (int c : which) {
                Dataset normal = AnomalyData.onlyClasses(train, Set.of(c));
                boolean[] anomalous = AnomalyData.anomalousUnless(test, Set.of(c));
                long start = System.nanoTime();
                Map<String, float[]> scores = pca
                        ? pcaScores(normal, test, backend)
                        : modelScores(cl, normal, test, backend);
                if (names == null) {
                    names = List.copyOf(scores.keySet());
                    StringBuilder head = new StringBuilder(String.format(Locale.ROOT,
                            "%-6s", "class"));
                    for (String n : names) {
                        head.append(String.format(Locale.ROOT, " %26s", n));
                        aucs.put(n, new ArrayList<>());
                    }
                    out.println(head.append(String.format(Locale.ROOT, " %8s", "seconds")));
                }
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6d", c));
                for (String n : names) {
                    double auc = AnomalyMetrics.rocAuc(scores.get(n), anomalous);
                    aucs.get(n).add(auc);
                    row.append(String.format(Locale.ROOT, " %26.4f", auc));
                }
                out.println(row.append(String.format(Locale.ROOT, " %8.1f",
                        (System.nanoTime() - start) / 1e9)));
                out.flush();
            }
            StringBuilder mean = new StringBuilder(String.format(Locale.ROOT, "%-6s", "mean"));
            for (List<Double> v : aucs.values()) {
                mean.append(String.format(Locale.ROOT, " %26.4f",
                        v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
            }
            out.println(mean);
            out.flush();
            return 0;
        }

        /** Trains the model on the normal records; each of its scores of the test set. */
        private Map<String, float[]> modelScores(CommandLine cl, Dataset normal, Dataset test,
                Backend backend) throws Exception {
            try (Model m = Flags.createModel(cl, registry, model, config(), backend, seed)) {
                if (!(m instanceof AnomalyScorer scorer)) {
                    throw new CliException(model + " offers no anomaly scores");
                }
                Dataset shapedTrain = m.shaped(normal);
                Dataset shapedTest = m.shaped(test);
                m.checkData(shapedTrain);
                try (Optimizers optimizers = Optimizers.forModel(m, learningRate, Adam::new)) {
                    Trainer.builder().setModel(m).setOptimizers(optimizers)
                            .setTrainData(shapedTrain)
                            .optBatchSize(batchSize).optEpochs(epochs).optSeed(seed).build()
                            .fit();
                }
                AnomalyDetector d = AnomalyDetector.of(m).samples(samples).seed(seed);
                Map<String, float[]> scores = new LinkedHashMap<>();
                try (DataLoader all = AnomalyData.loader(shapedTest, m)) {
                    for (String n : scorer.scoreNames()) {
                        scores.put(n, d.score(n).score(all));
                    }
                }
                return scores;
            }
        }

        /** PCA fitted to the normal records; its reconstruction error of the test set. */
        private Map<String, float[]> pcaScores(Dataset normal, Dataset test, Backend backend) {
            Pca pca = Pca.fit(normal, pcaComponents(), backend);
            return Map.of("reconstruction-error", pca.rowErrors(test, backend));
        }

        private int pcaComponents() {
            return latent != null ? latent : PCA_COMPONENTS;
        }

        private ModelConfig config() {
            Map<String, Object> settings = new LinkedHashMap<>();
            if (hidden != null) {
                settings.put("hidden", hidden);
            }
            if (latent != null) {
                settings.put("latent", latent);
            }
            return ModelConfig.of(settings);
        }

        private static Set<Integer> allClasses(int n) {
            Set<Integer> s = new java.util.LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                s.add(i);
            }
            return s;
        }
    }
}
