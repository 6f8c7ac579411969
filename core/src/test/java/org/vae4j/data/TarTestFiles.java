package org.vae4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes small tar streams (ustar headers) for tests. */
final class TarTestFiles {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Adds a regular file; a name over 100 bytes is split into ustar prefix and name. */
    TarTestFiles file(String name, byte[] content) {
        String prefix = "";
        if (name.length() > 100) {
            int slash = name.lastIndexOf('/', 155);
            prefix = name.substring(0, slash);
            name = name.substring(slash + 1);
        }
        return entry(prefix, name, '0', content);
    }

    TarTestFiles directory(String name) {
        return entry("", name, '5', new byte[0]);
    }

    /** A GNU long-name record followed by the file it names. */
    TarTestFiles gnuLongNameFile(String name, byte[] content) {
        entry("", "././@LongLink", 'L', (name + "\0").getBytes(StandardCharsets.UTF_8));
        return entry("", name.substring(0, 99), '0', content);
    }

    /** A pax extended header with a {@code path} record followed by the file it names. */
    TarTestFiles paxPathFile(String name, byte[] content) {
        String body = "path=" + name + "\n";
        int digits = 1;
        while (String.valueOf(body.length() + 1 + digits).length() != digits) {
            digits++;
        }
        String record = (body.length() + 1 + digits) + " " + body;
        entry("", "PaxHeader/x", 'x', record.getBytes(StandardCharsets.UTF_8));
        return entry("", "short-name", '0', content);
    }

    TarTestFiles entry(String prefix, String name, char type, byte[] content) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0001750");
        put(h, 116, "0001750");
        put(h, 124, String.format("%011o", content.length));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        put(h, 345, prefix);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[155] = ' ';
        out.writeBytes(h);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        return this;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
        if (off + b.length < h.length && b.length < 100) {
            h[off + b.length] = 0;
        }
    }

    /** The tar stream with its two closing zero blocks. */
    byte[] finish() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    byte[] finishGzipped() throws IOException {
        return IdxTestFiles.gzip(finish());
    }
}
