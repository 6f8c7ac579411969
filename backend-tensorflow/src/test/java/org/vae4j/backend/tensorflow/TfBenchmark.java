package org.vae4j.backend.tensorflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/**
 * Speed and memory of the TensorFlow backend, printed, not asserted: time per kernel for the
 * shapes of the MNIST VAE, and the resident set over a long MLP training loop with one scope per
 * step. Run with the test class path and {@code TF_CPP_MIN_LOG_LEVEL=2}; arguments: the number of
 * soak steps (default 20000), then optionally {@code soak-only} to skip the kernel timings, or
 * {@code no-scope} to skip them and run the loop without scopes, to see what closing buys.
 */
public final class TfBenchmark {

    private TfBenchmark() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        String mode = args.length > 1 ? args[1] : "all";
        boolean scoped = !mode.equals("no-scope");
        long t0 = System.nanoTime();
        Backend be = new TfBackend(BackendConfig.fromSystem());
        System.out.printf("%s%nstart-up %.0f ms, %s%n", be.describe(),
                (System.nanoTime() - t0) / 1e6, memory());
        if (mode.equals("all")) {
            timeKernels(be);
        }
        soak(be, steps, scoped);
    }

    private static void timeKernels(Backend be) {
        Rng rng = new Rng(1);
        try (TensorScope scope = be.newScope()) {
            Tensor x = be.fromArray(rng.normal(128 * 784, 0, 1), 128, 784);
            Tensor w = be.fromArray(rng.normal(784 * 400, 0, 0.05), 784, 400);
            Tensor h = be.fromArray(rng.normal(128 * 400, 0, 1), 128, 400);
            Tensor b = be.fromArray(rng.normal(400, 0, 1), 400);
            Tensor one = be.scalar(1f);
            Tensor data = be.fromArray(rng.normal(10_000 * 784, 0, 1), 10_000, 784);
            int[] rows = rng.permutation(10_000);
            int[] batch = java.util.Arrays.copyOf(rows, 128);
            float[] host = rng.normal(128 * 784, 0, 1);
            double mm = time("matmul 128x784·784x400", 300, () -> be.matmul(x, w).close());
            System.out.printf("  = %.0f GFLOP/s%n", 2.0 * 128 * 784 * 400 / mm / 1e6);
            time("matmul 128x400ᵀ·128x784 (weight gradient)", 300,
                    () -> be.matmul(h, true, x, false).close());
            time("linear 128x784·784x400 + bias (MatMul, BiasAdd)", 300,
                    () -> be.linear(x, w, b).close());
            time("relu 128x400", 20_000, () -> be.unary(UnaryOp.RELU, h).close());
            time("add 128x400 + 400 (broadcast)", 20_000, () -> be.add(h, b).close());
            time("sigmoid 128x784", 10_000, () -> be.unary(UnaryOp.SIGMOID, x).close());
            time("sum 128x400 over axis 0", 20_000, () -> be.sum(h, false, 0).close());
            time("add of two scalars (dispatch cost)", 50_000, () -> be.add(one, one).close());
            time("step 128x400 (Greater + Cast)", 20_000, () -> be.unary(UnaryOp.STEP, h).close());
            time("fromArray 128x784", 5_000, () -> be.fromArray(host, 128, 784).close());
            time("toArray 128x784", 5_000, () -> x.toArray());
            time("gatherRows 128 of 10000x784", 5_000, () -> be.gatherRows(data, batch).close());
        }
    }

    /** Runs {@code op} and prints the mean time; returns ms per op. */
    private static double time(String name, int reps, Runnable op) {
        for (int i = 0; i < Math.max(10, reps / 10); i++) {
            op.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            op.run();
        }
        double ms = (System.nanoTime() - start) / 1e6 / reps;
        System.out.printf("%-55s %9.4f ms%n", name, ms);
        return ms;
    }

    /** An MLP 784-400-20 (batch 128) trained by hand-written backprop, as the kit's soak runs. */
    private static void soak(Backend be, int steps, boolean scoped) {
        Rng rng = new Rng(2);
        int n = 128;
        int in = 784;
        int hidden = 400;
        int out = 20;
        Tensor x = TensorScope.untrack(be.fromArray(rng.normal(n * in, 0, 1), n, in));
        Tensor y = TensorScope.untrack(be.fromArray(rng.normal(n * out, 0, 1), n, out));
        Tensor w1 = TensorScope.untrack(be.fromArray(rng.normal(in * hidden, 0, 0.03), in, hidden));
        Tensor b1 = TensorScope.untrack(be.zeros(Shape.of(hidden)));
        Tensor w2 = TensorScope.untrack(be.fromArray(rng.normal(hidden * out, 0, 0.05), hidden,
                out));
        System.out.printf("soak: %d steps, %s; before the loop %s%n", steps,
                scoped ? "one scope per step" : "no scopes (results left to the collector)",
                memory());
        long start = System.nanoTime();
        float firstLoss = 0;
        float loss = 0;
        for (int step = 0; step < steps; step++) {
            TensorScope scope = scoped ? be.newScope() : null;
            Tensor pre = be.linear(x, w1, b1);
            Tensor h = be.unary(UnaryOp.RELU, pre);
            Tensor diff = be.sub(be.matmul(h, w2), y);
            Tensor l = be.mean(be.unary(UnaryOp.SQUARE, diff), false);
            Tensor gOut = be.mul(diff, be.scalar(2f / (n * out)));
            Tensor gW2 = be.matmul(h, true, gOut, false);
            Tensor gH = be.matmul(gOut, false, w2, true);
            Tensor gPre = be.mul(gH, be.unary(UnaryOp.STEP, pre));
            Tensor gW1 = be.matmul(x, true, gPre, false);
            Tensor gB1 = be.sum(gPre, false, 0);
            Tensor rate = be.scalar(0.01f);
            Tensor newW1 = TensorScope.untrack(be.sub(w1, be.mul(gW1, rate)));
            Tensor newB1 = TensorScope.untrack(be.sub(b1, be.mul(gB1, rate)));
            Tensor newW2 = TensorScope.untrack(be.sub(w2, be.mul(gW2, rate)));
            w1.close();
            b1.close();
            w2.close();
            w1 = newW1;
            b1 = newB1;
            w2 = newW2;
            if (step == 0) {
                firstLoss = l.item();
            }
            if (step % 1000 == 999) {
                loss = l.item();
            }
            if (scope != null) {
                scope.close();
            }
            if (step == 499) {
                System.out.printf("  after warm-up (500 steps): %s%n", memory());
            }
            if (step % 5000 == 4999) {
                System.out.printf("  step %d: %s, %.3f ms per step so far%n", step + 1,
                        memory(), (System.nanoTime() - start) / 1e6 / (step + 1));
            }
        }
        System.out.printf("  end: %s, loss %.4f -> %.4f, %.3f ms per step, live tensors %d%n",
                memory(), firstLoss, loss, (System.nanoTime() - start) / 1e6 / steps,
                be.liveTensors());
    }

    /** The process's resident set and, of it, the Java heap's committed part. */
    private static String memory() {
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.trim().split("\\s+")[1]) / 1024;
                }
            }
        } catch (IOException e) {
            // not Linux: the resident set stays unknown
        }
        return "RSS " + rss + " MB (Java heap committed " + (Runtime.getRuntime().totalMemory() >> 20)
                + " MB)";
    }
}
