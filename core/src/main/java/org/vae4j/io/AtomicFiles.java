package org.vae4j.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes files so that a crash or a failed write never leaves a half-written file in place: the
 * content goes to a temporary file in the same directory, is forced to the device, and is then
 * renamed over the target (atomically where the file system allows). Until the rename, a reader
 * sees the previous file, intact.
 */
public final class AtomicFiles {

    private static final SecureRandom RANDOM_NAMES = new SecureRandom();

    /** Produces a file's content. */
    @FunctionalInterface
    public interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code writer} produces, or leaves it untouched. A
     * failure of the file system (a full disk, a permission) removes the temporary file and is
     * reported as a {@link FileSystemException} naming {@code target}, never the temporary file;
     * an exception the writer throws itself passes unchanged.
     */
    public static void write(Path target, ContentWriter writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp;
        try {
            Files.createDirectories(dir);
            temp = createSibling(target, ".tmp");
        } catch (IOException e) {
            throw naming(target, e);
        }
        boolean moved = false;
        try {
            FileChannel channel;
            try {
                channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw naming(target, e);
            }
            try (channel) {
                OutputStream out = new BufferedOutputStream(new NamingStream(
                        Channels.newOutputStream(channel), target), 1 << 16);
                writer.writeTo(out);
                out.flush();
                try {
                    channel.force(true);
                } catch (IOException e) {
                    throw naming(target, e);
                }
            }
            try {
                move(temp, target);
            } catch (IOException e) {
                throw naming(target, e);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * The same failure as {@code e}, as a {@link FileSystemException} (of the same kind where it
     * is one) whose file is {@code target} and whose reason is the operating system's, so that
     * the message reads "{@code target}: No space left on device". An exception that names
     * {@code target} already is returned as it is.
     */
    public static IOException naming(Path target, IOException e) {
        String file = target.toString();
        if (e instanceof FileSystemException fs && file.equals(fs.getFile())
                && fs.getOtherFile() == null) {
            return e;
        }
        String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        if (reason == null || reason.isBlank()) {
            reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or folder"
                    : e.getClass().getSimpleName();
        }
        FileSystemException named;
        if (e instanceof AccessDeniedException) {
            named = new AccessDeniedException(file, null, reason);
        } else if (e instanceof NoSuchFileException) {
            named = new NoSuchFileException(file, null, reason);
        } else {
            named = new FileSystemException(file, null, reason);
        }
        named.initCause(e);
        return named;
    }

    /** The temporary file's stream, whose write errors name the target instead. */
    private static final class NamingStream extends FilterOutputStream {
        private final Path target;

        NamingStream(OutputStream out, Path target) {
            super(out);
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw naming(target, e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw naming(target, e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw naming(target, e);
            }
        }
    }

    /**
     * Creates a new empty file beside {@code target} with a random hidden name, to be renamed
     * over it. Unlike {@link Files#createTempFile}, it gets the usual permissions (the umask),
     * which the renamed file keeps.
     */
    public static Path createSibling(Path target, String suffix) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        while (true) {
            Path candidate = dir.resolve("." + target.getFileName() + "."
                    + Long.toHexString(RANDOM_NAMES.nextLong()) + suffix);
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                // another name, then
            }
        }
    }

    /** Replaces {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /**
     * Renames {@code source} to {@code target}, atomically when the file system can, replacing
     * an existing file. Works for directories too when the target does not exist.
     */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Forces a directory's entries (a rename just made in it) to the device. Not every platform
     * can open a directory for this; there the rename is as durable as the OS makes it.
     */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: e.g. Windows cannot open a directory as a channel
        }
    }
}
