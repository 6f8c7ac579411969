package org.vae4j.cli.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A 2-D scatter plot of latent codes, one colour per class, with a legend. */
public final class LatentPlot {

    private LatentPlot() {
    }

    /**
     * Writes points {@code (x[i], y[i])} coloured by {@code labels[i]} (null: one colour) to
     * {@code file}; the legend names class {@code c} {@code classNames.get(c)}.
     */
    public static void write(Path file, double[] x, double[] y, int[] labels,
            List<String> classNames, String title, String xTitle, String yTitle)
            throws IOException {
        int classes = classNames.size();
        XYChart chart = new XYChartBuilder().width(860).height(720).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Charts.style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendBorderColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("#0.0");
        chart.getStyler().setYAxisDecimalPattern("#0.0");
        int groups = labels == null ? 1 : Math.max(1, classes);
        for (int c = 0; c < groups; c++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if ((labels == null || labels[i] == c) && Double.isFinite(x[i])
                        && Double.isFinite(y[i])) {
                    xs.add(x[i]);
                    ys.add(y[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(labels == null ? "codes" : classNames.get(c), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(Charts.TAB10[c % Charts.TAB10.length]);
        }
        Charts.write(chart, file);
    }
}
