package org.vae4j.cli.plot;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vae4j.train.EpochSummary;

/**
 * {@code loss.png}: the training and test loss per epoch, one panel for the total and one for
 * each named term (reconstruction, KL, ...), each with a legend and labelled axes.
 */
public final class LossPlot {

    private static final int WIDTH = 560;
    private static final int HEIGHT = 400;
    private static final int MAX_PANELS = 6;

    private LossPlot() {
    }

    /**
     * Writes the curves of {@code epochs} to {@code file}; {@code what} heads every panel
     * (e.g. "vae on mnist").
     */
    public static void write(Path file, List<EpochSummary> epochs, String what) throws IOException {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("loss plot: no epoch to plot");
        }
        Set<String> terms = new LinkedHashSet<>(epochs.get(0).train().keySet());
        List<XYChart> panels = new ArrayList<>();
        for (String term : terms) {
            if (panels.size() == MAX_PANELS) {
                break;
            }
            panels.add(panel(epochs, term, what));
        }
        Charts.writePanels(panels, 3, file);
    }

    private static XYChart panel(List<EpochSummary> epochs, String term, String what) {
        boolean total = term.equals("loss");
        // a first epoch far above the rest (e.g. a VQ-VAE's codebook loss) would flatten the
        // curve that matters; a log scale keeps both readable
        boolean log = spansDecades(epochs, term);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(total ? what + ": loss per epoch" : term)
                .xAxisTitle("epoch")
                .yAxisTitle((total ? "loss per example" : term) + (log ? " (log scale)" : ""))
                .build();
        Charts.style(chart);
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setYAxisDecimalPattern(yPattern(epochs, term));
        if (epochs.size() < 10) {
            // integer ticks only: one per epoch
            chart.getStyler().setXAxisMaxLabelCount(epochs.size() + 1);
        }
        // keep the legend off the curves: they fall for a loss and rise for e.g. the KL
        Double first = epochs.get(0).train().get(term);
        Double last = epochs.get(epochs.size() - 1).train().get(term);
        boolean rising = first != null && last != null && last > first;
        chart.getStyler().setLegendPosition(rising ? Styler.LegendPosition.InsideSE
                : Styler.LegendPosition.InsideNE);
        addSeries(chart, "train", epochs, term, false);
        addSeries(chart, "test", epochs, term, true);
        if (epochs.size() == 1) {
            chart.getStyler().setXAxisMin(0.5);
            chart.getStyler().setXAxisMax(1.5);
        }
        return chart;
    }

    /** Whether the term is positive throughout and its largest value is 20x its smallest. */
    private static boolean spansDecades(List<EpochSummary> epochs, String term) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (EpochSummary e : epochs) {
            for (Map<String, Double> m : List.of(e.train(), e.test())) {
                Double v = m.get(term);
                if (v != null && Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return min > 0 && max / min > 20;
    }

    /** Enough decimals to tell the ticks apart, and no more. */
    private static String yPattern(List<EpochSummary> epochs, String term) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (EpochSummary e : epochs) {
            for (Map<String, Double> m : List.of(e.train(), e.test())) {
                Double v = m.get(term);
                if (v != null && Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double range = max - min;
        double scale = Math.max(Math.abs(max), Math.abs(min));
        double step = range > 0 ? range / 8 : scale / 8;
        if (!(step > 0) || !Double.isFinite(step)) {
            return "#,##0.###";
        }
        int decimals = (int) Math.max(0, Math.min(6, Math.ceil(-Math.log10(step))));
        return decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals);
    }

    private static void addSeries(XYChart chart, String name, List<EpochSummary> epochs,
            String term, boolean test) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochSummary e : epochs) {
            Map<String, Double> values = test ? e.test() : e.train();
            Double v = values.get(term);
            if (v != null && Double.isFinite(v)) {
                x.add(e.epoch() + 1.0);
                y.add(v);
            }
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(test ? SeriesMarkers.SQUARE : SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(2f));
    }
}
