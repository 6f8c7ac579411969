package org.vae4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain progress lines for logs and non-terminals (CI): one every {@code everySteps} steps, one
 * per epoch, one per checkpoint, and one at the start and the end. Written through SLF4J at INFO
 * (logger {@code org.vae4j.train.LoggingListener}) unless another sink is given.
 *
 * <pre>
 * epoch 1/10 batch 100/469 step 100: loss=164.23 reconstruction=150.11 kl=14.12 (5230 samples/s)
 * epoch 1/10 done in 12.1 s (4961 samples/s): train loss=140.02 ... | test loss=121.70 ...
 * </pre>
 */
public final class LoggingListener implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingListener.class);

    private final int everySteps;
    private final Consumer<String> sink;
    private int epochs;

    /** Logs every {@code everySteps} steps (0: epoch lines only) through SLF4J. */
    public LoggingListener(int everySteps) {
        this(everySteps, LOG::info);
    }

    /** Sends each line to {@code sink} instead of SLF4J. */
    public LoggingListener(int everySteps, Consumer<String> sink) {
        if (everySteps < 0) {
            throw new IllegalArgumentException("log interval must be >= 0 steps, got "
                    + everySteps);
        }
        this.everySteps = everySteps;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public void onTrainingStart(TrainingInfo info) {
        epochs = info.epochs();
        StringBuilder sb = new StringBuilder();
        sb.append("training ").append(info.modelType()).append(" (")
                .append(String.format(Locale.ROOT, "%,d", info.parameterCount()))
                .append(" parameters) on ").append(info.backend()).append(": ")
                .append(info.trainSize()).append(" training examples");
        if (info.testSize() > 0) {
            sb.append(", ").append(info.testSize()).append(" test examples");
        }
        sb.append(", batch ").append(info.batchSize()).append(" (")
                .append(info.batchesPerEpoch()).append(" per epoch), ")
                .append(plural(info.epochs(), "epoch")).append(", seed ").append(info.seed());
        if (info.isResumed()) {
            sb.append("; resuming at epoch ").append(info.startEpoch() + 1).append(", step ")
                    .append(info.startStep());
        }
        sink.accept(sb.toString());
    }

    @Override
    public void onStep(StepInfo s) {
        if (everySteps > 0 && s.step() % everySteps == 0) {
            sink.accept(String.format(Locale.ROOT, "epoch %d/%d batch %d/%d step %d: %s"
                    + " (%.0f samples/s)", s.epoch() + 1, epochs, s.batch() + 1,
                    s.batchesPerEpoch(), s.step(), format(s.values()), s.samplesPerSecond()));
        }
    }

    @Override
    public void onEpochEnd(EpochSummary e) {
        String line = String.format(Locale.ROOT, "epoch %d/%d done in %.1f s (%.0f samples/s):"
                + " train %s", e.epoch() + 1, epochs, e.seconds(), e.samplesPerSecond(),
                format(e.train()));
        if (!e.test().isEmpty()) {
            line += " | test " + format(e.test());
        }
        sink.accept(line);
    }

    @Override
    public void onCheckpoint(Path checkpoint, long step) {
        sink.accept("checkpoint at step " + step + " saved to " + checkpoint);
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        sink.accept(String.format(Locale.ROOT, "training finished: %s, %s, %.1f s",
                plural(result.epochs().size(), "epoch"), plural(result.finalStep(), "step"),
                result.seconds()));
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** {@code loss=164.23 kl=14.12}: five significant digits, as loss values span decades. */
    static String format(Map<String, Double> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + String.format(Locale.ROOT, "%.5g", v)));
        return String.join(" ", parts);
    }
}
