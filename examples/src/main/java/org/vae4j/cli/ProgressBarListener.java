package org.vae4j.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.vae4j.train.EpochSummary;
import org.vae4j.train.StepInfo;
import org.vae4j.train.TrainingInfo;
import org.vae4j.train.TrainingListener;
import org.vae4j.train.TrainingResult;

/**
 * Training progress on a terminal (the bar draws on standard error, sized to the terminal): a live bar per epoch with the running loss terms and
 * samples/s, replaced at the end of the epoch by one summary line with the epoch's train and
 * test loss terms, its seconds and samples/s.
 *
 * <pre>
 * epoch  3/10  67% ━━━━━━━━━━━━━━╸━━━━━━ 314/469 batches (0:00:02 / 0:00:01) loss 108.4  reconstruction 83.10  kl 25.30  21,480 samples/s
 * epoch  3/10  train loss 108.6 (reconstruction 83.40, kl 25.20)  test loss 107.1 (reconstruction 81.90, kl 25.20)  3.1 s  21,312 samples/s
 * </pre>
 */
final class ProgressBarListener implements TrainingListener, AutoCloseable {

    /** Terminals at least this wide show every loss term on the bar, narrower ones the total. */
    static final int WIDE = 120;

    private final PrintStream out;
    private ProgressBar bar;
    private boolean wide;
    private int epochs;
    private int batches;

    ProgressBarListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onTrainingStart(TrainingInfo info) {
        epochs = info.epochs();
        batches = info.batchesPerEpoch();
        String plan = info.isResumed()
                ? String.format(Locale.ROOT, "epochs %d to %d", info.startEpoch() + 1, epochs)
                : epochs + (epochs == 1 ? " epoch" : " epochs");
        out.println(String.format(Locale.ROOT, "training %s (%,d parameters) on %s: %,d"
                + " examples, batch %d (%d per epoch), %s, seed %d", info.modelType(),
                info.parameterCount(), info.backend(), info.trainSize(), info.batchSize(),
                batches, plan, info.seed()));
        out.flush();
    }

    @Override
    public void onStep(StepInfo s) {
        if (bar == null) {
            // the library sizes the bar to the terminal and cuts what does not fit, so on a
            // narrow terminal the message must shrink for the bar to show at all
            wide = new ConsoleProgressBarConsumer(out).getMaxRenderedLength() >= WIDE;
            int width = Integer.toString(epochs).length();
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %" + width + "d/%d",
                            s.epoch() + 1, epochs))
                    .setInitialMax(s.batchesPerEpoch())
                    .setUnit(wide ? " batches" : "", 1)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BAR)
                    .setUpdateIntervalMillis(250)
                    .clearDisplayOnFinish()
                    .startsFrom(s.batch(), Duration.ZERO)
                    .build();
        }
        bar.stepTo(s.batch() + 1L);
        String loss = wide ? terms(s.values(), false)
                : "loss " + number(s.values().getOrDefault("loss", Double.NaN));
        bar.setExtraMessage(loss + String.format(Locale.ROOT, "  %,.0f samples/s",
                s.samplesPerSecond()));
    }

    @Override
    public void onEpochEnd(EpochSummary e) {
        close();
        out.println(summary(e, epochs));
        out.flush();
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        close();
    }

    /** Stops the bar's display; also called by the command when training fails. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** {@code epoch  3/10  train loss 108.6 (reconstruction 83.40, kl 25.20)  test ...  3.1 s ...}. */
    static String summary(EpochSummary e, int epochs) {
        int width = Integer.toString(epochs).length();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "epoch %" + width + "d/%d  train %s", e.epoch() + 1, epochs,
                terms(e.train(), true)));
        if (!e.test().isEmpty()) {
            sb.append("  test ").append(terms(e.test(), true));
        }
        sb.append(String.format(Locale.ROOT, "  %.1f s  %,.0f samples/s", e.seconds(),
                e.samplesPerSecond()));
        return sb.toString();
    }

    /** {@code loss 108.6 (reconstruction 83.40, kl 25.20)}, or flat for the bar. */
    static String terms(Map<String, Double> values, boolean grouped) {
        List<String> others = new ArrayList<>();
        String total = null;
        for (Map.Entry<String, Double> v : values.entrySet()) {
            String text = number(v.getValue());
            if (v.getKey().equals("loss")) {
                total = "loss " + text;
            } else {
                others.add(v.getKey() + " " + text);
            }
        }
        if (grouped) {
            return (total == null ? "" : total)
                    + (others.isEmpty() ? "" : " (" + String.join(", ", others) + ")");
        }
        List<String> all = new ArrayList<>();
        if (total != null) {
            all.add(total);
        }
        all.addAll(others);
        return String.join("  ", all);
    }

    /** Four significant digits, without exponent for the usual magnitudes of losses. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
