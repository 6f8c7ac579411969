package org.vae4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.vae4j.data.Batch;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.model.StepContext;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;
import org.vae4j.train.StepEnvironment;

/**
 * A quick self-test of backends against {@link ReferenceBackend}, the executable specification
 * of the tensor SPI ({@code vae4j backends --check}): a handful of ops where backends go wrong
 * (products with every transpose, broadcasting, softplus and sigmoid at extreme inputs, sums,
 * log-sum-exp at large magnitudes, row gathers) and one training step of a small VAE, each
 * reported as the largest relative difference from the reference with a stated tolerance.
 */
final class BackendSelfCheck {

    private static final long SEED = 11;

    /** How outputs are compared with the reference's. */
    enum Norm {
        /** {@code |x − ref| / max|ref|} over the tensor: for sums, products and gradients. */
        TENSOR,
        /** {@code |x − ref| / max(1, |ref|)} per element: for functions of each value, and nats. */
        ELEMENT
    }

    /**
     * One check: what it computes on a backend (named outputs, downloaded) and how far from the
     * reference it may be. The tolerances are float32 kernels against a float64 oracle: a few
     * units of float's 6e-8 per op, more where long sums accumulate in float.
     */
    record Check(String name, double tolerance, Norm norm,
            Function<Backend, Map<String, float[]>> compute) {
    }

    /** The largest difference a check found, and where (output name and element). */
    record Measured(double difference, String where) {
    }

    /** A backend's results, in the order of {@link #CHECKS}; {@code errors} holds any failure. */
    record Result(String backend, Map<String, Measured> measured, Map<String, String> errors) {

        boolean ok() {
            return errors.isEmpty();
        }
    }

    static final List<Check> CHECKS = List.of(
            // 300-term float dot products
            new Check("matmul", 1e-5, Norm.TENSOR, BackendSelfCheck::matmuls),
            // one rounding per element: exact up to the last bit
            new Check("broadcast", 1e-6, Norm.TENSOR, BackendSelfCheck::broadcasts),
            new Check("softplus/sigmoid", 1e-5, Norm.ELEMENT, BackendSelfCheck::extremes),
            // sums of 200 to 60,000 terms: ND4J's one float accumulator is ~5e-6 off on a
            // full sum of 50,000 values near 1 (EJML and TensorFlow ≤ 1e-7)
            new Check("sum/max", 5e-5, Norm.TENSOR, BackendSelfCheck::reductions),
            new Check("logSumExp", 1e-5, Norm.ELEMENT, BackendSelfCheck::logSumExps),
            // copies: must be exact
            new Check("gatherRows", 0, Norm.TENSOR, BackendSelfCheck::gathers),
            // as the cross-backend consistency tests
            new Check("vae loss", 5e-5, Norm.ELEMENT, be -> vaeStep(be, "loss/")),
            new Check("vae grad", 2e-5, Norm.TENSOR, be -> vaeStep(be, "grad/")));

    private final Backend reference = new ReferenceBackend();
    private final Map<String, Map<String, float[]>> expected = new LinkedHashMap<>();

    /** Runs every check on {@code backend}. */
    Result check(Backend backend) {
        Map<String, Measured> measured = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (Check c : CHECKS) {
            Map<String, float[]> want = expected.computeIfAbsent(c.name(),
                    k -> c.compute().apply(reference));
            Measured m;
            try {
                m = compare(c.norm(), want, c.compute().apply(backend));
            } catch (RuntimeException e) {
                errors.put(c.name(), "failed: " + e.getMessage());
                continue;
            }
            measured.put(c.name(), m);
            if (!(m.difference() <= c.tolerance())) {
                errors.put(c.name(), String.format("%.1e > tolerance %s%s", m.difference(),
                        tolerance(c), m.where().isEmpty() ? "" : " (worst: " + m.where() + ")"));
            }
        }
        return new Result(backend.name(), measured, errors);
    }

    /**
     * Checks each backend, prints a table (backend, one column per check with the largest
     * relative difference, OK or FAIL) and one line per failure, and returns 0 if every backend
     * agrees with the reference within every tolerance, else 1.
     */
    int run(List<Backend> backends, PrintWriter out) {
        List<Result> results = new ArrayList<>();
        for (Backend b : backends) {
            results.add(check(b));
        }
        int first = Math.max(12, backends.stream().mapToInt(b -> b.name().length() + 2).max()
                .orElse(12));
        StringBuilder header = new StringBuilder(pad("BACKEND", first));
        StringBuilder limits = new StringBuilder(pad("tolerance", first));
        for (Check c : CHECKS) {
            header.append(pad(c.name(), width(c)));
            limits.append(pad(tolerance(c), width(c)));
        }
        out.println("Self-check against the reference backend (largest relative difference):");
        out.println(header.append("STATUS"));
        boolean allOk = true;
        for (Result r : results) {
            StringBuilder row = new StringBuilder(pad(r.backend(), first));
            for (Check c : CHECKS) {
                Measured m = r.measured().get(c.name());
                row.append(pad(m == null ? "error" : format(m.difference()), width(c)));
            }
            out.println(row.append(r.ok() ? "OK" : "FAIL"));
            allOk &= r.ok();
        }
        out.println(limits.toString().stripTrailing());
        for (Result r : results) {
            r.errors().forEach((check, why) -> out.println("FAIL " + r.backend() + " " + check
                    + ": " + why));
        }
        out.flush();
        return allOk ? 0 : 1;
    }

    private static int width(Check c) {
        return Math.max(10, c.name().length() + 2);
    }

    private static String pad(String s, int width) {
        return String.format("%-" + width + "s", s);
    }

    private static String format(double d) {
        return d == 0 ? "0" : String.format("%.1e", d);
    }

    private static String tolerance(Check c) {
        return c.tolerance() == 0 ? "exact" : String.format("%.0e", c.tolerance());
    }

    /** The largest difference over every output, in the check's norm. */
    static Measured compare(Norm norm, Map<String, float[]> want, Map<String, float[]> got) {
        double worst = 0;
        String where = "";
        for (Map.Entry<String, float[]> e : want.entrySet()) {
            float[] w = e.getValue();
            float[] g = got.get(e.getKey());
            if (g == null || g.length != w.length) {
                throw new IllegalStateException(e.getKey() + " has "
                        + (g == null ? "no" : g.length) + " values, the reference " + w.length);
            }
            double scale = 0;
            for (float v : w) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < w.length; i++) {
                double d = difference(w[i], g[i]);
                double rel = norm == Norm.TENSOR ? (d == 0 ? 0 : d / scale)
                        : d / Math.max(1, Math.abs(w[i]));
                if (rel > worst || Double.isNaN(rel)) {
                    worst = Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel;
                    where = e.getKey() + "[" + i + "] (reference " + w[i] + ", got " + g[i] + ")";
                }
            }
        }
        return new Measured(worst, where);
    }

    /** |a − b|, 0 when both are the same infinity or both NaN, infinite when only one is. */
    private static double difference(float want, float got) {
        if (Float.isNaN(want) || Float.isNaN(got)) {
            return Float.isNaN(want) && Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Float.isInfinite(want) || Float.isInfinite(got)) {
            return want == got ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs((double) got - want);
    }

    // ---------------------------------------------------------------- the computations

    /** {@code a·b} with each operand stored plain or transposed: the four BLAS cases. */
    static Map<String, float[]> matmuls(Backend be) {
        Rng rng = new Rng(SEED);
        float[] a = rng.normal(37 * 300, 0, 1);
        float[] b = rng.normal(300 * 29, 0, 1);
        try (TensorScope scope = be.newScope()) {
            Tensor ta = be.fromArray(a, 37, 300);
            Tensor tb = be.fromArray(b, 300, 29);
            Tensor taT = be.transpose(ta);
            Tensor tbT = be.transpose(tb);
            Map<String, float[]> out = new LinkedHashMap<>();
            out.put("a·b", be.matmul(ta, false, tb, false).toArray());
            out.put("aᵀ·b", be.matmul(taT, true, tb, false).toArray());
            out.put("a·bᵀ", be.matmul(ta, false, tbT, true).toArray());
            out.put("aᵀ·bᵀ", be.matmul(taT, true, tbT, true).toArray());
            return out;
        }
    }

    /** Adds across rows, columns and a rank-3 broadcast. */
    static Map<String, float[]> broadcasts(Backend be) {
        Rng rng = new Rng(SEED + 1);
        try (TensorScope scope = be.newScope()) {
            Tensor m = be.fromArray(rng.normal(31 * 17, 0, 1), 31, 17);
            Tensor row = be.fromArray(rng.normal(17, 0, 1), 17);
            Tensor col = be.fromArray(rng.normal(31, 0, 1), 31, 1);
            Tensor cube = be.fromArray(rng.normal(4 * 5, 0, 1), 4, 1, 5);
            Tensor plane = be.fromArray(rng.normal(3, 0, 1), 3, 1);
            Map<String, float[]> out = new LinkedHashMap<>();
            out.put("(31x17)+(17)", be.add(m, row).toArray());
            out.put("(31x17)+(31x1)", be.add(m, col).toArray());
            out.put("(4x1x5)+(3x1)", be.add(cube, plane).toArray());
            return out;
        }
    }

    /** Softplus, sigmoid and log-sigmoid where naive formulas overflow or lose every digit. */
    static Map<String, float[]> extremes(Backend be) {
        float[] fixed = {-1e4f, -1000, -100, -88.7f, -50, -20, -10, -1, -1e-3f, -1e-7f, 0,
            1e-7f, 1e-3f, 1, 10, 20, 50, 88.7f, 100, 1000, 1e4f};
        float[] random = new Rng(SEED + 2).normal(64, 0, 10);
        float[] x = Arrays.copyOf(fixed, fixed.length + random.length);
        System.arraycopy(random, 0, x, fixed.length, random.length);
        try (TensorScope scope = be.newScope()) {
            Tensor t = be.fromArray(x, x.length);
            Map<String, float[]> out = new LinkedHashMap<>();
            for (UnaryOp op : new UnaryOp[] {UnaryOp.SOFTPLUS, UnaryOp.SIGMOID,
                UnaryOp.LOG_SIGMOID}) {
                out.put(op.name(), be.unary(op, t).toArray());
            }
            return out;
        }
    }

    /** Sums along each axis and over everything, a mean and a max. */
    static Map<String, float[]> reductions(Backend be) {
        float[] x = new Rng(SEED + 3).uniform(200 * 300, 0, 1);
        try (TensorScope scope = be.newScope()) {
            Tensor t = be.fromArray(x, 200, 300);
            Map<String, float[]> out = new LinkedHashMap<>();
            out.put("sum axis 0", be.sum(t, false, 0).toArray());
            out.put("sum axis 1", be.sum(t, false, 1).toArray());
            out.put("sum", be.sum(t, false).toArray());
            out.put("mean axis 1", be.mean(t, false, 1).toArray());
            out.put("max axis 1", be.reduce(ReduceOp.MAX, t, false, 1).toArray());
            return out;
        }
    }

    /** Log-sum-exp of rows ordinary, huge, tiny, equal and of one dominant value. */
    static Map<String, float[]> logSumExps(Backend be) {
        int n = 50;
        Rng rng = new Rng(SEED + 4);
        float[] x = new float[6 * n];
        for (int j = 0; j < n; j++) {
            x[j] = (float) rng.nextGaussian();
            x[n + j] = (float) (1000 * rng.nextGaussian());
            x[2 * n + j] = -1e4f + (float) rng.nextGaussian();
            x[3 * n + j] = 1000f;
            x[4 * n + j] = j == 7 ? 88f : -88f;
            x[5 * n + j] = (float) (30 * rng.nextGaussian());
        }
        try (TensorScope scope = be.newScope()) {
            Tensor t = be.fromArray(x, 6, n);
            Map<String, float[]> out = new LinkedHashMap<>();
            out.put("rows", be.logSumExp(t, 1, false).toArray());
            out.put("columns", be.logSumExp(t, 0, true).toArray());
            return out;
        }
    }

    /** Row gathers with repeats, in and out of order. */
    static Map<String, float[]> gathers(Backend be) {
        float[] x = new Rng(SEED + 5).normal(10 * 7, 0, 1);
        try (TensorScope scope = be.newScope()) {
            Tensor t = be.fromArray(x, 10, 7);
            return Map.of("rows [3, 3, 0, 9, 5]",
                    be.gatherRows(t, new int[] {3, 3, 0, 9, 5}).toArray());
        }
    }

    /**
     * One training step of a small VAE (196-64-8, 32 examples in [0, 1]): the loss and its terms
     * ({@code loss/} outputs) and every parameter's gradient ({@code grad/} outputs).
     */
    static Map<String, float[]> vaeStep(Backend be, String prefix) {
        Rng data = new Rng(SEED + 6);
        float[] x = data.uniform(32 * 196, 0, 1);
        ModelConfig config = ModelConfig.of(Map.of("input", 196, "hidden", List.of(64),
                "latent", 8));
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Model model = Models.create("vae", config, be, new Rng(SEED));
                TensorScope scope = be.newScope()) {
            // the loss as a training step computes it (in training mode)
            Loss loss = StepEnvironment.trainingLoss(model,
                    new Batch(be.fromArray(x, Shape.of(32, 196))),
                    StepContext.training(0, new Rng(SEED + 7)));
            loss.values().forEach((k, v) -> out.put("loss/" + k, new float[] {v.floatValue()}));
            loss.total().backward();
            model.parameters().forEach((name, p) -> {
                Tensor g = p.grad();
                out.put("grad/" + name, g == null ? new float[0] : g.toArray());
            });
        }
        out.keySet().removeIf(k -> !k.startsWith(prefix));
        return out;
    }
}
