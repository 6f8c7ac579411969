package org.vae4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.anomaly.AnomalyMetrics;
import org.vae4j.cli.plot.AnomalyPlots;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;

/**
 * {@code eval}'s anomaly part: a run's scores of the test records against normal/anomalous
 * labels: ROC AUC, average precision, precision/recall/F1 at the calibrated threshold, and the
 * pictures {@code roc.png} and {@code scores.png}.
 */
record AnomalyEvaluation(String score, int normal, int anomalous, double auc, double ap,
        AnomalyMetrics.AtThreshold atThreshold, Path roc, Path histogram) {

    static final String ROC = "roc.png";
    static final String SCORES = "scores.png";

    static AnomalyEvaluation run(RunFolder folder, Model model, Dataset test,
            String normalClasses, Path labelFile, String score, Integer samples, long seed)
            throws IOException {
        boolean[] anomalous;
        if (normalClasses != null) {
            Set<Integer> normal = AnomalyData.classes("--normal-classes", normalClasses, test);
            anomalous = AnomalyData.anomalousUnless(test, normal);
        } else {
            anomalous = AnomalyData.labelFile(labelFile, test.size());
        }
        AnomalyDetector d = AnomalyData.detector(folder, model, score, samples, seed);
        float[] scores;
        try (DataLoader loader = AnomalyData.loader(test, model)) {
            scores = d.score(loader);
        }
        int pos = 0;
        for (boolean a : anomalous) {
            pos += a ? 1 : 0;
        }
        double auc;
        double ap;
        try {
            auc = AnomalyMetrics.rocAuc(scores, anomalous);
            ap = AnomalyMetrics.averagePrecision(scores, anomalous);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        AnomalyMetrics.AtThreshold at = d.hasThreshold()
                ? AnomalyMetrics.atThreshold(scores, anomalous, d.threshold().value()) : null;
        String what = model.typeName() + " " + d.scoreName();
        Path roc = folder.resolve(ROC);
        Path hist = folder.resolve(SCORES);
        AnomalyPlots.roc(roc, AnomalyMetrics.rocCurve(scores, anomalous), auc, what);
        AnomalyPlots.histogram(hist, scores, anomalous,
                d.hasThreshold() ? d.threshold().value() : null, what);
        return new AnomalyEvaluation(d.scoreName(), anomalous.length - pos, pos, auc, ap, at,
                roc, hist);
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("score", score);
        o.put("normal", normal);
        o.put("anomalous", anomalous);
        o.put("roc_auc", auc);
        o.put("average_precision", ap);
        if (atThreshold != null) {
            o.put("threshold", atThreshold.threshold());
            o.put("precision", atThreshold.precision());
            o.put("recall", atThreshold.recall());
            o.put("f1", atThreshold.f1());
        }
        o.put("roc_png", roc.toString());
        o.put("scores_png", histogram.toString());
        return o;
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%nanomaly detection, score %s: %d normal, %d anomalous%n",
                score, normal, anomalous);
        out.printf(Locale.ROOT, "%-20s %10.4f%n", "ROC AUC", auc);
        out.printf(Locale.ROOT, "%-20s %10.4f%n", "average precision", ap);
        if (atThreshold != null) {
            out.printf(Locale.ROOT, "%-20s precision %.4f, recall %.4f, F1 %.4f at threshold"
                    + " %.6g%n", "at the threshold", atThreshold.precision(),
                    atThreshold.recall(), atThreshold.f1(), atThreshold.threshold());
        } else {
            out.println("no calibrated threshold for this score (vae4j calibrate): no"
                    + " precision/recall/F1");
        }
        out.println("wrote " + roc + " and " + histogram);
    }
}
