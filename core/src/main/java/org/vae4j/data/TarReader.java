package org.vae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the entries of a tar stream (ustar, with GNU long names and pax {@code path} records):
 * 512-byte headers, each followed by the entry's bytes padded to a multiple of 512. Enough to
 * take files out of an npm package without running {@code tar}.
 *
 * <pre>{@code
 * TarReader tar = new TarReader(new GZIPInputStream(in));
 * for (TarReader.Entry e; (e = tar.next()) != null; ) {
 *     if (e.isFile()) use(e.name(), tar.content());
 * }
 * }</pre>
 */
final class TarReader {

    private static final int BLOCK = 512;

    /** One entry's header: its path, size in bytes and tar type flag ('0' for a file). */
    record Entry(String name, long size, char type) {
        boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }
    }

    private final InputStream in;
    private long remaining;
    private long padding;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, skipping whatever is left of the current one; null at the end. */
    Entry next() throws IOException {
        String longName = null;
        while (true) {
            skipFully(remaining + padding);
            remaining = 0;
            padding = 0;
            byte[] header = in.readNBytes(BLOCK);
            if (header.length == 0 || isZero(header)) {
                return null;
            }
            if (header.length < BLOCK) {
                throw new IOException("tar: truncated header: expected " + BLOCK
                        + " bytes, found " + header.length);
            }
            checkChecksum(header);
            long size = octal(header, 124, 12, "size");
            char type = (char) header[156];
            String name = longName != null ? longName : name(header);
            longName = null;
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            if (type == 'L') {
                longName = cString(readEntry(size), 0, (int) size);
            } else if (type == 'x') {
                longName = paxPath(readEntry(size));
            } else if (type != 'g') {
                return new Entry(name, size, type);
            }
        }
    }

    /** The bytes of the current entry; closing the stream does not close the tar. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b < 0) {
                    throw truncated();
                }
                remaining--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw truncated();
                }
                remaining -= n;
                return n;
            }
        };
    }

    private byte[] readEntry(long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar: extended header of " + size + " bytes; expected < 1 MiB");
        }
        byte[] b = in.readNBytes((int) size);
        if (b.length < size) {
            throw truncated();
        }
        remaining = 0;
        return b;
    }

    private IOException truncated() {
        return new IOException("tar: truncated: an entry ends before its declared size");
    }

    private void skipFully(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw truncated();
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static void checkChecksum(byte[] h) throws IOException {
        long stored = octal(h, 148, 8, "checksum");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (sum != stored) {
            throw new IOException("tar: header checksum is " + stored + " but the header sums to "
                    + sum + "; not a tar stream or corrupt");
        }
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a pax extended header ("<len> path=<value>\n" records). */
    private static String paxPath(byte[] b) {
        String text = new String(b, StandardCharsets.UTF_8);
        int pos = 0;
        while (pos < text.length()) {
            int space = text.indexOf(' ', pos);
            int eol = text.indexOf('\n', pos);
            if (space < 0 || eol < 0) {
                break;
            }
            String record = text.substring(space + 1, eol);
            if (record.startsWith("path=")) {
                return record.substring(5);
            }
            pos = eol + 1;
        }
        return null;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len, String field) throws IOException {
        long v = 0;
        boolean digits = false;
        for (int i = off; i < off + len; i++) {
            int c = b[i];
            if (c == 0 || (c == ' ' && digits)) {
                break;
            }
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                throw new IOException("tar: header field " + field + " is not an octal number");
            }
            v = v * 8 + (c - '0');
            digits = true;
        }
        return v;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
