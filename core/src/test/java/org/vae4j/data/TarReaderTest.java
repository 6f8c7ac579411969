package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class TarReaderTest {

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static Map<String, byte[]> readAll(byte[] tgz) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        TarReader tar = new TarReader(new GZIPInputStream(new ByteArrayInputStream(tgz)));
        for (TarReader.Entry e; (e = tar.next()) != null; ) {
            if (e.isFile()) {
                byte[] content = tar.content().readAllBytes();
                assertEquals(e.size(), content.length, e.name());
                files.put(e.name(), content);
            }
        }
        return files;
    }

    @Test
    void readsFilesOfAGzippedTarInOrderWithTheirContent() throws IOException {
        byte[] a = bytes(1000, 1);
        byte[] b = bytes(512, 2);
        byte[] c = new byte[0];
        byte[] tgz = new TarTestFiles().directory("package/").file("package/a", a)
                .file("package/data/b", b).file("package/empty", c).finishGzipped();
        Map<String, byte[]> files = readAll(tgz);
        assertEquals(java.util.List.of("package/a", "package/data/b", "package/empty"),
                java.util.List.copyOf(files.keySet()));
        assertArrayEquals(a, files.get("package/a"));
        assertArrayEquals(b, files.get("package/data/b"));
        assertArrayEquals(c, files.get("package/empty"));
    }

    @Test
    void unreadContentIsSkipped() throws IOException {
        byte[] tgz = new TarTestFiles().file("first", bytes(3000, 1)).file("second", bytes(5, 2))
                .finishGzipped();
        TarReader tar = new TarReader(new GZIPInputStream(new ByteArrayInputStream(tgz)));
        assertEquals("first", tar.next().name());
        tar.content().read(new byte[10]);
        TarReader.Entry second = tar.next();
        assertEquals("second", second.name());
        assertArrayEquals(bytes(5, 2), tar.content().readAllBytes());
        assertNull(tar.next());
    }

    @Test
    void longNamesFromUstarPrefixGnuAndPaxHeaders() throws IOException {
        String deep = "package/" + "d".repeat(60) + "/" + "e".repeat(60) + "/file";
        String gnu = "package/" + "g".repeat(120);
        String pax = "package/" + "p".repeat(130);
        byte[] tgz = new TarTestFiles().file(deep, bytes(7, 1)).gnuLongNameFile(gnu, bytes(8, 2))
                .paxPathFile(pax, bytes(9, 3)).finishGzipped();
        Map<String, byte[]> files = readAll(tgz);
        assertArrayEquals(bytes(7, 1), files.get(deep));
        assertArrayEquals(bytes(8, 2), files.get(gnu));
        assertArrayEquals(bytes(9, 3), files.get(pax));
        assertEquals(3, files.size());
    }

    @Test
    void directoriesAreNotFiles() throws IOException {
        byte[] tgz = new TarTestFiles().directory("package/").finishGzipped();
        TarReader tar = new TarReader(new GZIPInputStream(new ByteArrayInputStream(tgz)));
        TarReader.Entry e = tar.next();
        assertEquals("package/", e.name());
        assertFalse(e.isFile());
    }

    @Test
    void aCorruptHeaderIsDetectedByItsChecksum() {
        byte[] tar = new TarTestFiles().file("x", bytes(10, 1)).finish();
        tar[3] ^= 0x20;
        IOException e = assertThrows(IOException.class,
                () -> new TarReader(new ByteArrayInputStream(tar)).next());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aTruncatedEntryIsAnError() {
        byte[] tar = new TarTestFiles().file("x", bytes(2000, 1)).finish();
        byte[] cut = Arrays.copyOf(tar, 1024);
        IOException e = assertThrows(IOException.class, () -> {
            TarReader r = new TarReader(new ByteArrayInputStream(cut));
            r.next();
            r.content().readAllBytes();
        });
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
