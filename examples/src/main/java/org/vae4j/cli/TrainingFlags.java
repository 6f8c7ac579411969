package org.vae4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.vae4j.optim.GradientClipping;
import org.vae4j.optim.LearningRateSchedule;
import org.vae4j.optim.Optimizer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code train}'s flags of the training step: gradient clipping, gradient accumulation and the
 * learning-rate schedule. Their values go into {@code config.json} ({@link Settings}), so {@code
 * resume} continues with them; the defaults (no clipping, one batch per update, a constant rate)
 * train exactly as without them.
 */
final class TrainingFlags {

    /** The schedules {@code --lr-schedule} names. */
    static final List<String> SCHEDULES = List.of("constant", "step", "cosine");

    @Option(names = "--clip-grad-norm", paramLabel = "X", defaultValue = "0", order = 20,
            description = "Clip the gradients' global L2 norm to X before each update; 0 for no"
                    + " clipping. 0 to " + (long) Flags.CLIP_GRAD_NORM_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    double clipGradNorm;

    @Option(names = "--accumulate", paramLabel = "K", defaultValue = "1", order = 21,
            description = "Sum the gradients of K batches into each update (an update then sees"
                    + " K x --batch-size examples). 1 to " + Flags.ACCUMULATE_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int accumulate;

    @Option(names = "--lr-schedule", paramLabel = "NAME", defaultValue = "constant", order = 22,
            description = "constant, step (x --lr-gamma every --lr-step-every updates) or cosine"
                    + " (to 0 over the planned updates after the warm-up). Default:"
                    + " ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--warmup-steps", paramLabel = "N", defaultValue = "0", order = 23,
            description = "Raise the learning rate linearly over the first N updates, then"
                    + " follow the schedule. 0 to " + Flags.WARMUP_STEPS_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    long warmupSteps;

    @Option(names = "--lr-step-every", paramLabel = "N", order = 24,
            description = "With --lr-schedule step: updates between drops, 1 to "
                    + Flags.WARMUP_STEPS_MAX + ".")
    Long stepEvery;

    @Option(names = "--lr-gamma", paramLabel = "X", order = 25,
            description = "With --lr-schedule step: the factor of each drop, > 0 and at most 1."
                    + " Default: 0.1.")
    Double gamma;

    /** Checks every value before any work; errors name the flag and its range. */
    void validate(CommandLine cl) {
        if (!(clipGradNorm >= 0 && clipGradNorm <= Flags.CLIP_GRAD_NORM_MAX)) {
            throw Flags.error(cl, "--clip-grad-norm must be a number from 0 (no clipping) to "
                    + (long) Flags.CLIP_GRAD_NORM_MAX + ", got " + clipGradNorm);
        }
        Flags.inRange(cl, "--accumulate", accumulate, 1, Flags.ACCUMULATE_MAX);
        Flags.inRange(cl, "--warmup-steps", warmupSteps, 0L, Flags.WARMUP_STEPS_MAX);
        String name = scheduleName();
        if (!SCHEDULES.contains(name)) {
            throw Flags.error(cl, "--lr-schedule must be one of " + String.join(", ", SCHEDULES)
                    + ", got '" + schedule + "'");
        }
        if (name.equals("step")) {
            if (stepEvery == null) {
                throw Flags.error(cl, "--lr-schedule step needs --lr-step-every N: the updates"
                        + " between drops (1 to " + Flags.WARMUP_STEPS_MAX + ")");
            }
            Flags.inRange(cl, "--lr-step-every", stepEvery, 1L, Flags.WARMUP_STEPS_MAX);
            if (gamma != null && !(gamma > 0 && gamma <= 1)) {
                throw Flags.error(cl, "--lr-gamma must be a number > 0 and at most 1, got "
                        + gamma);
            }
        } else if (stepEvery != null || gamma != null) {
            throw Flags.error(cl, (stepEvery != null ? "--lr-step-every" : "--lr-gamma")
                    + " applies to --lr-schedule step only, not " + name);
        }
    }

    private String scheduleName() {
        return schedule.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The settings to record, with the cosine's length fixed now from the run's planned updates
     * ({@code updatesPlanned}), so that a resume that trains further keeps the same schedule.
     */
    Settings settings(long updatesPlanned) {
        String name = scheduleName();
        long cosineSteps = name.equals("cosine") ? Math.max(1, updatesPlanned - warmupSteps) : 0;
        return new Settings(clipGradNorm, accumulate, name, warmupSteps,
                stepEvery == null ? 0 : stepEvery, gamma == null ? 0.1 : gamma, cosineSteps);
    }

    /**
     * The training-step settings of a run, as {@code config.json}'s {@code training} section
     * holds them; absent (a run of an earlier release) means {@link #DEFAULT}.
     *
     * @param stepEvery   step schedule: updates between drops (0 for other schedules)
     * @param gamma       step schedule: the factor of each drop
     * @param cosineSteps cosine schedule: the updates it lasts (0 for other schedules)
     */
    record Settings(double clipGradNorm, int accumulate, String schedule, long warmupSteps,
            long stepEvery, double gamma, long cosineSteps) {

        /** No clipping, no accumulation, a constant rate: the training of earlier releases. */
        static final Settings DEFAULT = new Settings(0, 1, "constant", 0, 0, 0.1, 0);

        LearningRateSchedule learningRateSchedule() {
            LearningRateSchedule main = switch (schedule) {
                case "constant" -> LearningRateSchedule.constant();
                case "step" -> LearningRateSchedule.step(stepEvery, gamma);
                case "cosine" -> LearningRateSchedule.cosine(cosineSteps, 0);
                default -> throw new CliException("unknown learning-rate schedule '" + schedule
                        + "'; known: " + String.join(", ", SCHEDULES));
            };
            return LearningRateSchedule.warmup(warmupSteps, main);
        }

        /** Sets the clipping and the schedule of {@code optimizer}. */
        void applyTo(Optimizer optimizer) {
            optimizer.setGradientClipping(clipGradNorm > 0
                    ? GradientClipping.byNorm(clipGradNorm) : GradientClipping.NONE);
            optimizer.setSchedule(learningRateSchedule());
        }

        void write(ObjectNode training) {
            training.put("clip_grad_norm", clipGradNorm);
            training.put("accumulate", accumulate);
            training.put("lr_schedule", schedule);
            training.put("warmup_steps", warmupSteps);
            if (schedule.equals("step")) {
                training.put("lr_step_every", stepEvery);
                training.put("lr_gamma", gamma);
            }
            if (schedule.equals("cosine")) {
                training.put("lr_cosine_steps", cosineSteps);
            }
        }

        /** Reads {@link #write}'s fields; each missing one has its default. */
        static Settings read(JsonNode training, String where) {
            Settings d = DEFAULT;
            Settings s = new Settings(
                    number(training, "clip_grad_norm", d.clipGradNorm, where),
                    (int) whole(training, "accumulate", d.accumulate, where),
                    training.has("lr_schedule") ? training.get("lr_schedule").asText()
                            : d.schedule,
                    whole(training, "warmup_steps", d.warmupSteps, where),
                    whole(training, "lr_step_every", d.stepEvery, where),
                    number(training, "lr_gamma", d.gamma, where),
                    whole(training, "lr_cosine_steps", d.cosineSteps, where));
            try {
                s.learningRateSchedule();
                if (s.clipGradNorm > 0) {
                    GradientClipping.byNorm(s.clipGradNorm);
                }
            } catch (IllegalArgumentException e) {
                throw new CliException(where + ": " + e.getMessage());
            }
            if (s.accumulate < 1) {
                throw new CliException(where + ": 'accumulate' must be at least 1, got "
                        + s.accumulate);
            }
            return s;
        }

        private static double number(JsonNode node, String key, double fallback, String where) {
            JsonNode v = node.get(key);
            if (v == null) {
                return fallback;
            }
            if (!v.isNumber()) {
                throw new CliException(where + ": '" + key + "' must be a number, got " + v);
            }
            return v.asDouble();
        }

        private static long whole(JsonNode node, String key, long fallback, String where) {
            JsonNode v = node.get(key);
            if (v == null) {
                return fallback;
            }
            if (!v.isIntegralNumber()) {
                throw new CliException(where + ": '" + key + "' must be a whole number, got "
                        + v);
            }
            return v.asLong();
        }
    }
}
