package org.vae4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.anomaly.TopFeatures;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.io.AtomicFiles;
import org.vae4j.model.Model;
import org.vae4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code vae4j score}: one anomaly score per input record, as CSV or JSON lines. */
@Command(name = "score", sortOptions = false, usageHelpAutoWidth = true,
        customSynopsis = "vae4j score --run=DIR [--data=PATH] [OPTIONS]",
        description = {
            "Score every record of --data (a path's records, or a built-in set's test split;"
                    + " default the run's test data) with a run's model: one row per record"
                    + " with its row number, the score (higher is more anomalous), whether it"
                    + " is flagged (when the run has a calibrated threshold or --threshold is"
                    + " given) and, for scores that are sums over features, the features that"
                    + " contribute most.",
            "The output is written to a temporary file and moved into place when complete."
        },
        footer = {"", "Examples:",
            "  vae4j score --run runs/ae-1 --data sensors.csv --out scores.csv",
            "  vae4j score --run runs/vae-1 --score iw-nll --samples 50 --json --out s.jsonl"})
final class ScoreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--run", paramLabel = "DIR", required = true, order = 1,
            description = "The run folder whose model scores.")
    Path run;

    @Option(names = "--score", paramLabel = "NAME", order = 2,
            description = "The score: reconstruction-error, elbo, reconstruction-probability,"
                    + " iw-nll (as the model offers). Default: the calibrated one, else the"
                    + " model's first.")
    String score;

    @Option(names = "--threshold", paramLabel = "X", order = 3,
            description = "Flag records scoring above X (overrides the run's threshold.json).")
    Double threshold;

    @Option(names = "--out", paramLabel = "FILE", order = 4,
            description = "The file to write. Default: scores.csv (scores.jsonl with --json) in"
                    + " the run folder.")
    Path out;

    @Option(names = "--json", order = 5, description = "Write JSON lines instead of CSV.")
    boolean json;

    @Option(names = "--force", order = 6, description = "Replace an existing output file.")
    boolean force;

    @Option(names = "--samples", paramLabel = "K", order = 7,
            description = "Draws of z per record for iw-nll, elbo and reconstruction-probability"
                    + " (default: the calibration's, else 10).")
    Integer samples;

    @Option(names = "--top", paramLabel = "K", order = 8,
            description = "Report the K features contributing most to each score (for scores"
                    + " that are sums over features). Default: 3 for non-image data, 0 for"
                    + " images.")
    Integer top;

    @Option(names = "--limit", paramLabel = "N", order = 9,
            description = "Score the first N records only.")
    Integer limit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", order = 10,
            description = "Seed of the stochastic scores' draws. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = RunFolder.ALLOW_NON_FINITE, order = 11,
            description = "Load weights that hold NaN or infinite values.")
    boolean allowNonFinite;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;

    @Inject
    ScoreCommand(ModelRegistry registry, BackendChooser backends) {
        this.registry = registry;
        this.backends = backends;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        backendOptions.validate(cl);
        Flags.inRange(cl, "--samples", samples, 1, Flags.IW_SAMPLES_MAX);
        Flags.inRange(cl, "--top", top, 0, 1_000_000);
        Flags.inRange(cl, "--limit", limit, 1, Flags.LIMIT_MAX);
        RunFolder folder = RunFolder.open(run);
        Path target = out != null ? out : folder.resolve(json ? "scores.jsonl" : "scores.csv");
        if (Files.exists(target) && !force) {
            throw new CliException(target + " exists; --force replaces it");
        }
        Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
        RunModelCommand.noteWeights(cl, folder);
        // the run's stored preprocessing, never refitted on the data scored
        Dataset data = DataSource.of(cl, dataOptions, folder.config(), cl.getErr())
                .test(DataSource.storedIn(folder));
        if (limit != null) {
            data = data.take(limit);
        }
        try (Model model = folder.loadModel(registry, backend, allowNonFinite)) {
            data = model.shaped(data);
            try {
                model.checkData(data);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            AnomalyDetector detector = AnomalyData.detector(folder, model, score, samples, seed);
            if (threshold != null) {
                detector.threshold(threshold);
            } else if (!detector.hasThreshold()
                    && org.vae4j.anomaly.Threshold.exists(folder.dir())) {
                cl.getErr().println("note: the run's threshold.json is for another score; no"
                        + " records are flagged (calibrate this score, or give --threshold X)");
                cl.getErr().flush();
            }
            int k = top != null ? top : data.hasImageShape() ? 0 : 3;
            org.vae4j.data.Preprocessing stored = DataSource.storedIn(folder);
            org.vae4j.data.TableSchema schema = stored != null && stored.isTable()
                    && stored.schema().width() == data.features() ? stored.schema() : null;
            int[] written = {0};
            try (DataLoader loader = AnomalyData.loader(data, model)) {
                AtomicFiles.write(target, stream -> {
                    Writer w = new BufferedWriter(new OutputStreamWriter(stream,
                            StandardCharsets.UTF_8));
                    RowWriter rows = json ? new JsonRows(w, schema != null) : new CsvRows(w,
                            detector.hasThreshold(), k > 0);
                    detector.scoreBatches(loader, k > 0, (first, s, c, width) -> {
                        for (int i = 0; i < s.length; i++) {
                            Boolean flag = detector.hasThreshold()
                                    ? detector.threshold().flags(s[i]) : null;
                            if (c == null || k == 0) {
                                rows.write(first + i, s[i], flag, null, null);
                            } else if (schema != null) {
                                // a table: each column's term, named by the column
                                float[] cols = TopFeatures.perColumn(c, i * width, schema);
                                int[] topIdx = TopFeatures.of(cols, 0, cols.length, k);
                                List<String> names = new ArrayList<>();
                                float[] values = new float[topIdx.length];
                                for (int j = 0; j < topIdx.length; j++) {
                                    names.add(schema.columns().get(topIdx[j]).name());
                                    values[j] = cols[topIdx[j]];
                                }
                                rows.write(first + i, s[i], flag, names, values);
                            } else {
                                int[] topIdx = TopFeatures.of(c, i * width, width, k);
                                List<String> names = new ArrayList<>();
                                float[] values = new float[topIdx.length];
                                for (int j = 0; j < topIdx.length; j++) {
                                    names.add(Integer.toString(topIdx[j]));
                                    values[j] = c[i * width + topIdx[j]];
                                }
                                rows.write(first + i, s[i], flag, names, values);
                            }
                        }
                        written[0] += s.length;
                    });
                    rows.finish();
                    w.flush();
                });
            }
            cl.getOut().printf(Locale.ROOT, "wrote %s (%d records, score %s%s)%n", target,
                    written[0], detector.scoreName(), detector.hasThreshold()
                            ? ", flagged above " + detector.threshold().value() : "");
            cl.getOut().flush();
        }
        return 0;
    }

    /** One output row per record. */
    private interface RowWriter {
        /** {@code top}: the largest contributors' names (column or feature index), or null. */
        void write(int row, float score, Boolean flag, List<String> top, float[] terms)
                throws IOException;

        void finish() throws IOException;
    }

    private static final class CsvRows implements RowWriter {
        private final CSVPrinter printer;

        CsvRows(Writer w, boolean flags, boolean features) throws IOException {
            List<String> header = new ArrayList<>(List.of("row", "score"));
            if (flags) {
                header.add("flagged");
            }
            if (features) {
                header.add("top_features");
            }
            printer = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                    .setHeader(header.toArray(String[]::new)).setRecordSeparator('\n').build());
        }

        @Override
        public void write(int row, float score, Boolean flag, List<String> top, float[] terms)
                throws IOException {
            List<Object> values = new ArrayList<>(List.of(row, score));
            if (flag != null) {
                values.add(flag);
            }
            if (top != null) {
                StringBuilder sb = new StringBuilder();
                for (int j = 0; j < top.size(); j++) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(top.get(j)).append(':').append(terms[j]);
                }
                values.add(sb.toString());
            }
            printer.printRecord(values);
        }

        @Override
        public void finish() throws IOException {
            printer.flush();
        }
    }

    private static final class JsonRows implements RowWriter {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Writer w;
        private final boolean named;

        /** {@code named}: features are a table's column names, else feature indices. */
        JsonRows(Writer w, boolean named) {
            this.w = w;
            this.named = named;
        }

        @Override
        public void write(int row, float score, Boolean flag, List<String> top, float[] terms)
                throws IOException {
            ObjectNode o = JSON.createObjectNode();
            o.put("row", row);
            o.put("score", score);
            if (flag != null) {
                o.put("flagged", flag);
            }
            if (top != null) {
                ArrayNode a = o.putArray("top_features");
                for (int j = 0; j < top.size(); j++) {
                    ObjectNode f = a.addObject();
                    if (named) {
                        f.put("feature", top.get(j));
                    } else {
                        f.put("feature", Integer.parseInt(top.get(j)));
                    }
                    f.put("contribution", terms[j]);
                }
            }
            w.write(JSON.writeValueAsString(o));
            w.write('\n');
        }

        @Override
        public void finish() {
        }
    }
}
