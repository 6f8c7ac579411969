package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.vae4j.io.AtomicFiles;
import org.vae4j.train.TrainingListener;

/**
 * The lifecycle of a new run's folder, whose rule is that a failure never leaves less than
 * there was before.
 *
 * <ul>
 *   <li>A folder that does not exist yet, and a run replaced with {@code --force}, are built in
 *       a hidden sibling {@code .DIR.new-PID-X} and renamed into place when the first checkpoint
 *       is written ({@link #commit}); until then {@code DIR} is untouched, and a failure removes
 *       the sibling (and the parent folders this run created). A replaced run is moved aside to
 *       {@code .DIR.old-PID-X} for the swap and deleted only after it; the user's own files in
 *       it (anything that is not the run's, such as notes) are moved into the new run.</li>
 *   <li>An empty folder is written into directly, and emptied again on a failure.</li>
 *   <li>A folder with other files, or another program's config.json, is refused: it is never
 *       written into and never deleted from, with or without {@code --force}.</li>
 * </ul>
 *
 * <p>After the swap the trainer goes on writing to the sibling's path, which is then a symbolic
 * link to {@code DIR}; {@link #close} removes it. A process killed outright leaves its sibling,
 * which the next {@code train} or {@code resume} of the same folder removes (its process id is
 * in the name).
 */
final class NewRun implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Path work;
    private final boolean replacing;
    private final Path createdRoot;
    private boolean committed;
    private boolean closed;
    private String warning;

    private NewRun(Path dir, Path work, boolean replacing, Path createdRoot) {
        this.dir = dir;
        this.work = work;
        this.replacing = replacing;
        this.createdRoot = createdRoot;
    }

    /**
     * Checks that a new run may be written to {@code dir}, changing nothing; throws a
     * {@link CliException} saying why not.
     */
    static RunFolder.Contents check(Path dir, boolean force) {
        RunFolder.Contents c = RunFolder.inspect(dir);
        switch (c.kind()) {
            case FILE -> throw new CliException("the output folder " + dir + " is a file; give"
                    + " --out a folder");
            case RUN -> {
                if (!force) {
                    throw new CliException("the output folder " + dir + " already holds a run ("
                            + runEntries(dir) + "); choose another --out, continue it with"
                            + " 'vae4j resume --run " + dir + "', or add --force to replace it");
                }
            }
            case FOREIGN -> throw new CliException("cannot write to the output folder " + dir
                    + ": it holds " + c.found() + "; a new run goes only into a new or empty"
                    + " folder" + (force ? " (--force replaces vae4j runs only)" : "")
                    + ": choose another --out");
            case EMPTY -> {
                if (!Files.isWritable(dir)) {
                    throw new CliException("cannot write to the output folder " + dir
                            + ": permission denied");
                }
            }
            default -> {
            }
        }
        return c;
    }

    /** Makes {@code dir} ready for a new run (see {@link #check}); nothing of it changes yet. */
    static NewRun begin(Path dir, boolean force) {
        cleanLeftovers(dir);
        RunFolder.Contents c = check(dir, force);
        if (c.kind() == RunFolder.Kind.EMPTY) {
            return new NewRun(dir, dir, false, null);
        }
        boolean replacing = c.kind() == RunFolder.Kind.RUN;
        Path parent = dir.toAbsolutePath().normalize().getParent();
        Path createdRoot = null;
        if (!Files.exists(parent)) {
            Path top = parent;
            while (top.getParent() != null && !Files.exists(top.getParent())) {
                top = top.getParent();
            }
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new CliException("cannot create the output folder " + dir + ": "
                        + RunFolder.reason(e), e);
            }
            createdRoot = top;
        }
        Path work = sibling(dir, "new");
        try {
            Files.createDirectory(work);
        } catch (IOException e) {
            removeCreated(parent, createdRoot);
            if (replacing) {
                throw new CliException("cannot write the new run beside " + dir + " (in "
                        + parent + "): " + RunFolder.reason(e) + "; the run in " + dir
                        + " is untouched", e);
            }
            throw new CliException("cannot create the output folder " + dir + ": "
                    + RunFolder.reason(e), e);
        }
        return new NewRun(dir, work, replacing, createdRoot);
    }

    /** The run folder the user named. */
    Path dir() {
        return dir;
    }

    /** Where the trainer writes: the sibling, or {@code dir} itself for an empty folder. */
    Path work() {
        return work;
    }

    /** Whether this run replaces an earlier one (--force). */
    boolean replacing() {
        return replacing;
    }

    /** Whether the run is in place in {@code dir} (it has a checkpoint there). */
    boolean committed() {
        return committed;
    }

    /** A listener that {@linkplain #commit commits} the run when its first checkpoint exists. */
    TrainingListener commitOnFirstCheckpoint() {
        return new TrainingListener() {
            @Override
            public void onCheckpoint(Path checkpoint, long step) {
                if (!committed) {
                    commit();
                }
            }
        };
    }

    /** Moves the run into place: the old run (if any) aside, the new one in, the old deleted. */
    void commit() {
        if (committed) {
            return;
        }
        if (work.equals(dir)) {
            committed = true;
            return;
        }
        Path old = null;
        try {
            if (replacing) {
                old = sibling(dir, "old");
                AtomicFiles.move(dir, old);
            }
            try {
                AtomicFiles.move(work, dir);
            } catch (IOException e) {
                if (old != null) {
                    AtomicFiles.move(old, dir);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new CliException("cannot move the new run into " + dir + ": "
                    + RunFolder.reason(e) + (replacing ? "; the run in " + dir
                    + " is untouched" : ""), e);
        }
        committed = true;
        try {
            // the trainer keeps writing to the path it was given
            Files.createSymbolicLink(work, dir.toAbsolutePath().normalize().getFileName());
        } catch (IOException e) {
            throw new CliException("cannot link " + work + " to " + dir + ": "
                    + RunFolder.reason(e), e);
        }
        if (old != null) {
            carryOver(old);
        }
        AtomicFiles.syncDirectory(dir.toAbsolutePath().normalize().getParent());
    }

    /** Moves the user's own files from the replaced run into the new one, then deletes it. */
    private void carryOver(Path old) {
        List<String> left = new ArrayList<>();
        try (Stream<Path> s = Files.list(old)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                Path target = dir.resolve(name);
                if (RunFolder.isRunEntry(name)) {
                    continue;
                }
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    left.add(name);
                    continue;
                }
                AtomicFiles.move(p, target);
            }
        } catch (IOException e) {
            left.add("(" + RunFolder.reason(e) + ")");
        }
        if (!left.isEmpty()) {
            // never delete what is not the run's
            warning = "replaced the run in " + dir + ", but could not move "
                    + String.join(", ", left) + " from the old run, which is kept in " + old;
            return;
        }
        try {
            RunFolder.deleteRecursively(old);
        } catch (IOException e) {
            warning = "replaced the run in " + dir + ", but could not delete the old run in "
                    + old + ": " + RunFolder.reason(e);
        }
    }

    /** What went wrong after the swap (files of the old run left beside it), or null. */
    String warning() {
        return warning;
    }

    /**
     * Removes what this run wrote, when it failed before its first checkpoint: {@code dir} is
     * then as it was (an empty folder empty, a missing one missing, a replaced run untouched).
     * Best effort: the failure itself is what the user needs to see.
     */
    void abandon() {
        if (committed) {
            return;
        }
        try {
            if (work.equals(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        RunFolder.deleteRecursively(p);
                    }
                }
            } else {
                RunFolder.deleteRecursively(work);
                removeCreated(dir.toAbsolutePath().normalize().getParent(), createdRoot);
            }
        } catch (IOException e) {
            // best effort
        }
    }

    /** {@code message} with the sibling's path replaced by the run folder's. */
    String publicMessage(String message) {
        if (message == null || work.equals(dir)) {
            return message;
        }
        return message.replace(work.toString(), dir.toString())
                .replace(work.toAbsolutePath().normalize().toString(),
                        dir.toAbsolutePath().normalize().toString());
    }

    /** Removes the sibling's link after a commit, or abandons an uncommitted run. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed) {
            abandon();
        } else if (!work.equals(dir)) {
            try {
                if (Files.isSymbolicLink(work)) {
                    Files.delete(work);
                }
            } catch (IOException e) {
                // a leftover link is removed by the next train or resume of this folder
            }
        }
    }

    // ---------------------------------------------------------------- siblings

    private static Path sibling(Path dir, String kind) {
        Path abs = dir.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + "." + kind + "-"
                + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(RANDOM.nextInt(1 << 16)));
    }

    /**
     * Removes what a killed {@code train} or {@code resume} of {@code dir} left beside it: its
     * {@code .DIR.new-PID-X} sibling or link. A {@code .DIR.old-PID-X} whose process is gone is
     * the run a replacement moved aside: deleted when the new run is in place, else moved back.
     */
    static void cleanLeftovers(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || abs.getFileName() == null || !Files.isDirectory(parent)) {
            return;
        }
        String prefix = "." + abs.getFileName() + ".";
        List<Path> leftovers;
        try (Stream<Path> s = Files.list(parent)) {
            leftovers = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        } catch (IOException e) {
            return;
        }
        for (Path p : leftovers) {
            String rest = p.getFileName().toString().substring(prefix.length());
            String kind = rest.startsWith("new-") ? "new" : rest.startsWith("old-") ? "old" : null;
            Optional<Long> pid = kind == null ? Optional.empty() : pidOf(rest.substring(4));
            if (pid.isEmpty() || ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive)
                    .orElse(false)) {
                continue;
            }
            try {
                if (kind.equals("old") && !Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                    AtomicFiles.move(p, abs);
                } else if (Files.isSymbolicLink(p)) {
                    Files.delete(p);
                } else {
                    RunFolder.deleteRecursively(p);
                }
            } catch (IOException e) {
                // left for another time; it does not stand in the way
            }
        }
    }

    private static Optional<Long> pidOf(String text) {
        int dash = text.indexOf('-');
        try {
            return Optional.of(Long.parseLong(dash < 0 ? text : text.substring(0, dash)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void removeCreated(Path from, Path createdRoot) {
        if (createdRoot == null) {
            return;
        }
        for (Path p = from; p != null && p.startsWith(createdRoot); p = p.getParent()) {
            try {
                Files.deleteIfExists(p); // only while empty: another's file stops it
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String runEntries(Path dir) {
        return String.join(", ", RunFolder.ENTRIES.stream()
                .filter(e -> Files.exists(dir.resolve(e))).limit(3).toList());
    }
}
