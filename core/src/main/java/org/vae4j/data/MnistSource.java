package org.vae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * A place MNIST files can be fetched from when the cache lacks them. A source hands each file's
 * content (raw or gzip) to a {@link Sink}, which stores it in a temporary file, checks its
 * SHA-256 and only then moves it into the cache; a source never writes to the cache itself.
 */
public interface MnistSource {

    /** A short description for log lines and error messages, e.g. the URL or command used. */
    String description();

    /**
     * Delivers as many of {@code files} as it can to {@code sink}.
     *
     * @throws IOException when some file could not be delivered; the message says why
     */
    void fetch(Set<MnistFile> files, Sink sink) throws IOException;

    /** Receives fetched content and installs it in the cache after verifying it. */
    interface Sink {
        /**
         * Reads {@code content} to its end and installs it as {@code file}.
         *
         * @throws ChecksumMismatchException when the content is not the expected file; nothing
         *     is left in the cache
         */
        void accept(MnistFile file, InputStream content) throws IOException;
    }
}
