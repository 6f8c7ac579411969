package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The program in a child JVM, for what cannot happen in-process: signals, kill -9. It runs on
 * the test's own class path; its output goes to a file that {@link #output()} reads.
 */
final class Child implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Child(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code vae4j args...}, its stdout and stderr both in {@code log}. */
    static Child start(Path log, String... args) throws IOException {
        return startWithHeap(log, "1g", args);
    }

    /** {@link #start} with a maximum heap of {@code heap} ({@code -Xmx} syntax: "64m"). */
    static Child startWithHeap(Path log, String heap, String... args) throws IOException {
        return startWithJvmOptions(log, List.of("-Xmx" + heap), args);
    }

    /** {@link #start} with the JVM options {@code jvm} (e.g. "-Xmx64m", "-Dkey=value"). */
    static Child startWithJvmOptions(Path log, List<String> jvm, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.vae4j.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        pb.environment().put("OMP_NUM_THREADS", "1");
        return new Child(pb.start(), log);
    }

    long pid() {
        return process.pid();
    }

    /** Everything the child printed so far. */
    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits until {@code condition} holds; fails when the child ends first or after a minute. */
    /** Waits until the child's output contains {@code text}. */
    void awaitOutput(String what, String text) throws Exception {
        await(what, () -> {
            try {
                return output().contains(text);
            } catch (IOException e) {
                return false;
            }
        });
    }

    void await(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("the child ended (status " + process.exitValue()
                        + ") before " + what + ":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within a minute:\n" + output());
            }
            Thread.sleep(20);
        }
    }

    /** Sends a signal by name ("INT", "TERM", "KILL"). */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid()))
                .redirectErrorStream(true).start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -s " + name + " failed: "
                    + new String(kill.getInputStream().readAllBytes()));
        }
    }

    /** The exit status, waiting at most a minute. */
    int waitFor() throws Exception {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not end within a minute:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
