package org.vae4j.cli.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vae4j.anomaly.AnomalyMetrics;

/**
 * The anomaly evaluation's pictures: {@code roc.png} (the ROC curve with its AUC and the chance
 * diagonal) and {@code scores.png} (histograms of the normal and the anomalous examples' scores,
 * with the threshold when there is one).
 */
public final class AnomalyPlots {

    private static final int WIDTH = 560;
    private static final int HEIGHT = 440;
    private static final int BINS = 40;

    private AnomalyPlots() {
    }

    /** Writes the ROC curve to {@code file}; {@code what} heads it. */
    public static void roc(Path file, List<AnomalyMetrics.RocPoint> curve, double auc,
            String what) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(what + String.format(Locale.ROOT, ": ROC, AUC %.4f", auc))
                .xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
        Charts.style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        double[] x = new double[curve.size()];
        double[] y = new double[curve.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = curve.get(i).falsePositiveRate();
            y[i] = curve.get(i).truePositiveRate();
        }
        chart.addSeries("model", x, y).setMarker(SeriesMarkers.NONE);
        chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1})
                .setMarker(SeriesMarkers.NONE);
        Charts.write(chart, file);
    }

    /**
     * Writes the score histograms (share of each group per bin, so groups of different sizes
     * compare) to {@code file}; {@code threshold} is drawn when not null.
     */
    public static void histogram(Path file, float[] scores, boolean[] anomalous,
            Double threshold, String what) throws IOException {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            if (Float.isFinite(s)) {
                lo = Math.min(lo, s);
                hi = Math.max(hi, s);
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double width = (hi - lo) / BINS;
        double[] normal = new double[BINS];
        double[] anomaly = new double[BINS];
        int nNormal = 0;
        int nAnomaly = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                continue;
            }
            int b = Math.min(BINS - 1, (int) ((scores[i] - lo) / width));
            if (anomalous[i]) {
                anomaly[b]++;
                nAnomaly++;
            } else {
                normal[b]++;
                nNormal++;
            }
        }
        double[] centres = new double[BINS];
        double top = 0;
        for (int b = 0; b < BINS; b++) {
            centres[b] = lo + (b + 0.5) * width;
            normal[b] /= Math.max(nNormal, 1);
            anomaly[b] /= Math.max(nAnomaly, 1);
            top = Math.max(top, Math.max(normal[b], anomaly[b]));
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(what + ": scores").xAxisTitle("score (higher: more anomalous)")
                .yAxisTitle("share of the group per bin").build();
        Charts.style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        chart.addSeries("normal (" + nNormal + ")", centres, normal)
                .setMarker(SeriesMarkers.NONE);
        chart.addSeries("anomalous (" + nAnomaly + ")", centres, anomaly)
                .setMarker(SeriesMarkers.NONE);
        if (threshold != null) {
            chart.addSeries(String.format(Locale.ROOT, "threshold %.4g", threshold),
                    new double[] {threshold, threshold}, new double[] {0, top})
                    .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line)
                    .setMarker(SeriesMarkers.NONE);
        }
        Charts.write(chart, file);
    }
}
