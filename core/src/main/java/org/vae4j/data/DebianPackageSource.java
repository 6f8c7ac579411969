package org.vae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fetches the files of a data set from a Debian archive package without installing it:
 * {@code apt-get download PACKAGE} into a temporary folder (with the machine's own apt
 * configuration), then {@code dpkg-deb -x} into that folder, then the files (raw or
 * {@code .gz}) are read from the package's data folder. Useful where the public mirrors are
 * blocked but the distribution's archive works.
 */
public final class DebianPackageSource implements MnistSource {

    /** The Debian package holding Fashion-MNIST's four gzip files. */
    public static final String FASHION_MNIST_PACKAGE = "dataset-fashion-mnist";
    /** Where that package keeps them. */
    static final String FASHION_MNIST_FOLDER = "usr/share/datasets/fashion-mnist";

    private final String packageName;
    private final String folder;
    private final Duration timeout;

    /**
     * @param packageName the Debian package to download
     * @param folder the folder inside the package holding the files, relative to its root
     * @param timeout how long each of {@code apt-get download} and {@code dpkg-deb} may run
     */
    public DebianPackageSource(String packageName, String folder, Duration timeout) {
        this.packageName = packageName;
        this.folder = folder;
        this.timeout = timeout;
    }

    /** Fashion-MNIST from {@value #FASHION_MNIST_PACKAGE}, 5 minutes per command. */
    public static DebianPackageSource fashionMnist() {
        return new DebianPackageSource(FASHION_MNIST_PACKAGE, FASHION_MNIST_FOLDER,
                Duration.ofMinutes(5));
    }

    @Override
    public String description() {
        return "apt-get download " + packageName;
    }

    @Override
    public void fetch(Set<MnistFile> files, Sink sink) throws IOException {
        Path aptGet = onPath("apt-get");
        Path dpkgDeb = onPath("dpkg-deb");
        if (aptGet == null || dpkgDeb == null) {
            throw new IOException((aptGet == null ? "apt-get" : "dpkg-deb")
                    + " is not on the PATH (not a Debian or Ubuntu machine)");
        }
        Path work = Files.createTempDirectory("vae4j-apt-download-");
        AtomicReference<Process> running = new AtomicReference<>();
        // an interrupt while apt-get runs ends it and removes the temporary folder
        Thread cleanup = new Thread(() -> {
            Process p = running.get();
            if (p != null) {
                NpmPackSource.end(p);
            }
            NpmPackSource.deleteRecursively(work);
        }, "vae4j-apt-download-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            run(work, running, aptGet.toString(), "download", packageName);
            Path deb = singleDeb(work);
            Path root = work.resolve("root");
            run(work, running, dpkgDeb.toString(), "-x", deb.toString(), root.toString());
            deliver(root.resolve(folder), files, sink);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it cleans up
            }
            Process p = running.get();
            if (p != null && p.isAlive()) {
                NpmPackSource.end(p);
            }
            NpmPackSource.deleteRecursively(work);
        }
    }

    private void run(Path work, AtomicReference<Process> running, String... command)
            throws IOException {
        Path log = work.resolve("output.txt");
        Process process = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        running.set(process);
        process.getOutputStream().close();
        // the tool's name, not its path, so the message reads as the command a user would type
        String line = Path.of(command[0]).getFileName() + " "
                + String.join(" ", List.of(command).subList(1, command.length));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                NpmPackSource.end(process);
                throw new IOException(line + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            NpmPackSource.end(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command[0], e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(line + " exited with code "
                    + process.exitValue() + ": " + NpmPackSource.tail(log));
        }
    }

    private Path singleDeb(Path work) throws IOException {
        try (Stream<Path> listing = Files.list(work)) {
            List<Path> debs = listing.filter(p -> p.getFileName().toString().endsWith(".deb"))
                    .collect(Collectors.toList());
            if (debs.size() != 1) {
                throw new IOException("apt-get download " + packageName + " left " + debs.size()
                        + " .deb files; expected one");
            }
            return debs.get(0);
        }
    }

    private void deliver(Path dir, Set<MnistFile> files, Sink sink) throws IOException {
        List<String> absent = new ArrayList<>();
        for (MnistFile file : files) {
            Path gz = dir.resolve(file.fileName() + ".gz");
            Path raw = dir.resolve(file.fileName());
            Path found = Files.isRegularFile(gz) ? gz : Files.isRegularFile(raw) ? raw : null;
            if (found == null) {
                absent.add(folder + "/" + file.fileName() + "[.gz]");
                continue;
            }
            try (InputStream in = Files.newInputStream(found)) {
                sink.accept(file, in);
            }
        }
        if (!absent.isEmpty()) {
            throw new IOException("the package " + packageName + " has no "
                    + String.join(", ", absent));
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, name);
            if (candidate != null && Files.isRegularFile(candidate)
                    && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
