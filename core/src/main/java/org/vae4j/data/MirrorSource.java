package org.vae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fetches the original gzip files ({@code <base><name>.gz}) over HTTP(S) from public mirrors of
 * MNIST (or of a data set in its layout), trying each mirror in turn with short timeouts. A
 * mirror that cannot be reached is given up after its first failed connection, so an offline
 * machine fails fast.
 */
public final class MirrorSource implements MnistSource {

    /** Public mirrors of the original MNIST files. */
    public static final List<URI> DEFAULT_MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"));

    /** Public mirrors of the original Fashion-MNIST files (same file names as MNIST's). */
    public static final List<URI> FASHION_MNIST_MIRRORS = List.of(
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/"
                    + "data/fashion/"));

    private final List<URI> mirrors;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    /** The default (MNIST) mirrors with a 5 s connect and a 20 s read timeout. */
    public MirrorSource() {
        this(DEFAULT_MIRRORS);
    }

    /** {@code mirrors} with a 5 s connect and a 20 s read timeout. */
    public MirrorSource(List<URI> mirrors) {
        this(mirrors, Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    /**
     * @param mirrors base URLs ending in {@code /}, tried in order
     * @param connectTimeout how long to wait for a connection
     * @param readTimeout how long a single read may stall
     */
    public MirrorSource(List<URI> mirrors, Duration connectTimeout, Duration readTimeout) {
        if (mirrors.isEmpty()) {
            throw new IllegalArgumentException("mirror source: no mirrors given");
        }
        this.mirrors = List.copyOf(mirrors);
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    @Override
    public String description() {
        return "download from " + mirrors.stream().map(URI::toString)
                .collect(Collectors.joining(", "));
    }

    @Override
    public void fetch(Set<MnistFile> files, Sink sink) throws IOException {
        Set<MnistFile> remaining = EnumSet.noneOf(MnistFile.class);
        remaining.addAll(files);
        List<String> failures = new ArrayList<>();
        for (URI mirror : mirrors) {
            for (MnistFile file : List.copyOf(remaining)) {
                URI uri = mirror.resolve(file.fileName() + ".gz");
                try {
                    download(uri, file, sink);
                    remaining.remove(file);
                } catch (UnknownHostException e) {
                    failures.add(uri + ": unknown host " + e.getMessage());
                    break;
                } catch (ConnectException | SocketTimeoutException e) {
                    failures.add(uri + ": cannot connect (" + e.getMessage() + ")");
                    break;
                } catch (IOException e) {
                    failures.add(uri + ": " + e.getMessage());
                }
            }
            if (remaining.isEmpty()) {
                return;
            }
        }
        throw new IOException(String.join("; ", failures));
    }

    private void download(URI uri, MnistFile file, Sink sink) throws IOException {
        URL url = uri.toURL();
        HttpURLConnection conn = (HttpURLConnection) url.openConnection();
        conn.setConnectTimeout((int) connectTimeout.toMillis());
        conn.setReadTimeout((int) readTimeout.toMillis());
        conn.setRequestProperty("User-Agent", "vae4j");
        try {
            conn.connect();
            int status = conn.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("HTTP " + status + " " + conn.getResponseMessage());
            }
            try (InputStream in = conn.getInputStream()) {
                sink.accept(file, in);
            }
        } finally {
            conn.disconnect();
        }
    }
}
