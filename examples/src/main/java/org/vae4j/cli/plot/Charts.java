package org.vae4j.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.vae4j.io.AtomicFiles;

/** The look shared by the program's charts, and writing them (or panels of them) as PNG. */
public final class Charts {

    /** The ten colours of matplotlib's "tab10" cycle: distinct, and readable in print. */
    public static final Color[] TAB10 = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)
    };

    private Charts() {
    }

    /** White background, light grid, readable fonts, legend inside the plot's upper right. */
    static void style(XYChart chart) {
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(new Color(0xE5E5E5));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendBorderColor(new Color(0xCCCCCC));
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setSeriesColors(TAB10);
        s.setAntiAlias(true);
        s.setChartPadding(12);
    }

    /** Writes one chart as a PNG, atomically. */
    static void write(XYChart chart, Path file) throws IOException {
        write(BitmapEncoder.getBufferedImage(chart), file);
    }

    /** Writes charts of equal size side by side, {@code columns} per row, as one PNG. */
    static void writePanels(List<XYChart> charts, int columns, Path file) throws IOException {
        int w = charts.get(0).getWidth();
        int h = charts.get(0).getHeight();
        int rows = (charts.size() + columns - 1) / columns;
        int cols = Math.min(columns, charts.size());
        BufferedImage all = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, all.getWidth(), all.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * w,
                        (i / cols) * h, null);
            }
        } finally {
            g.dispose();
        }
        write(all, file);
    }

    static void write(BufferedImage img, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            ImageOutputStream stream = new MemoryCacheImageOutputStream(out);
            if (!ImageIO.write(img, "png", stream)) {
                throw new IOException("no PNG writer is installed in this Java runtime");
            }
            stream.flush();
        });
    }
}
