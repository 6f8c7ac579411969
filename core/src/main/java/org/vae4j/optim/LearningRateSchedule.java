package org.vae4j.optim;

/**
 * A learning-rate schedule: the factor by which an optimizer multiplies its base learning rate
 * for the update that follows {@code step} earlier updates (0 for the first). The schedule has no
 * state of its own: its position is the optimizer's step count, which checkpoints keep, so a
 * resumed run continues the schedule exactly. {@link #constant()} is 1 at every step, which
 * leaves every number as without a schedule.
 *
 * <pre>{@code
 * adam.setSchedule(LearningRateSchedule.warmup(500, LearningRateSchedule.cosine(10_000, 0.0)));
 * }</pre>
 */
public sealed interface LearningRateSchedule {

    /** The factor of the base learning rate for the update after {@code step} updates. */
    double factor(long step);

    /** A description that names the schedule and its settings, e.g. {@code cosine(1000, 0.0)}. */
    String describe();

    /** 1 at every step. */
    static LearningRateSchedule constant() {
        return Constant.INSTANCE;
    }

    /** {@code gamma^floor(step / every)}: times {@code gamma} every {@code every} updates. */
    static LearningRateSchedule step(long every, double gamma) {
        return new Step(every, gamma);
    }

    /**
     * Cosine annealing from 1 to {@code minFactor} over {@code steps} updates, then {@code
     * minFactor}: {@code min + (1 − min)·(1 + cos(π·step/steps))/2}.
     */
    static LearningRateSchedule cosine(long steps, double minFactor) {
        return new Cosine(steps, minFactor);
    }

    /**
     * A linear warm-up: {@code (step + 1)/steps} for the first {@code steps} updates, then {@code
     * after} from its own step 0.
     */
    static LearningRateSchedule warmup(long steps, LearningRateSchedule after) {
        return steps == 0 ? after : new Warmup(steps, after);
    }

    /** See {@link #constant()}. */
    enum Constant implements LearningRateSchedule {
        INSTANCE;

        @Override
        public double factor(long step) {
            return 1;
        }

        @Override
        public String describe() {
            return "constant";
        }
    }

    /** See {@link #step(long, double)}. */
    record Step(long every, double gamma) implements LearningRateSchedule {
        public Step {
            if (every < 1) {
                throw new IllegalArgumentException("step schedule: the interval must be at least"
                        + " 1 update, got " + every);
            }
            if (!(gamma > 0 && gamma <= 1)) {
                throw new IllegalArgumentException("step schedule: gamma must be in (0, 1], got "
                        + gamma);
            }
        }

        @Override
        public double factor(long step) {
            return Math.pow(gamma, step / every);
        }

        @Override
        public String describe() {
            return "step(" + every + ", " + gamma + ")";
        }
    }

    /** See {@link #cosine(long, double)}. */
    record Cosine(long steps, double minFactor) implements LearningRateSchedule {
        public Cosine {
            if (steps < 1) {
                throw new IllegalArgumentException("cosine schedule: it must last at least 1"
                        + " update, got " + steps);
            }
            if (!(minFactor >= 0 && minFactor <= 1)) {
                throw new IllegalArgumentException("cosine schedule: the final factor must be in"
                        + " [0, 1], got " + minFactor);
            }
        }

        @Override
        public double factor(long step) {
            double progress = Math.min(step, steps) / (double) steps;
            return minFactor + (1 - minFactor) * (1 + Math.cos(Math.PI * progress)) / 2;
        }

        @Override
        public String describe() {
            return "cosine(" + steps + ", " + minFactor + ")";
        }
    }

    /** See {@link #warmup(long, LearningRateSchedule)}. */
    record Warmup(long steps, LearningRateSchedule after) implements LearningRateSchedule {
        public Warmup {
            if (steps < 0) {
                throw new IllegalArgumentException("warm-up: the number of updates must be >= 0,"
                        + " got " + steps);
            }
            java.util.Objects.requireNonNull(after, "after");
        }

        @Override
        public double factor(long step) {
            return step < steps ? (step + 1) / (double) steps : after.factor(step - steps);
        }

        @Override
        public String describe() {
            return "warmup(" + steps + ") then " + after.describe();
        }
    }
}
