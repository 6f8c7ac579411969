package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;
import org.vae4j.data.Mnist;

/**
 * {@code --data} through the program: a NumPy file, Fashion-MNIST, an image folder and a CSV
 * table train for a few steps; the run records its source so that {@code eval} and
 * {@code resume} read the same data; bad data is one clear error before any training step, with
 * no run folder written.
 */
class DataSourcesTest {

    @TempDir
    Path tmp;

    private static final String[] SMALL = {"--hidden", "8", "--latent", "2", "--epochs", "1",
        "--batch-size", "32", "--backend", "ejml"};

    /** A little-endian C-order .npy file of {@code dtype} ('<f4', '|u1', '<i8'). */
    static Path npy(Path file, String dtype, int[] shape, double[] values) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': ("
                + (shape.length == 1 ? shape[0] + "," : dims.substring(0, dims.length() - 2))
                + "), }";
        header += " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        int item = dtype.endsWith("1") ? 1 : dtype.endsWith("4") ? 4 : 8;
        ByteBuffer data = ByteBuffer.allocate(values.length * item)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (dtype) {
                case "|u1" -> data.put((byte) v);
                case "<f4" -> data.putFloat((float) v);
                case "<i8" -> data.putLong((long) v);
                default -> data.putDouble(v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
            (byte) header.length(), (byte) (header.length() >> 8)});
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data.array());
        Files.write(file, out.toByteArray());
        return file;
    }

    private static double[] uniform(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble();
        }
        return v;
    }

    private static Run train(Path out, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("train", "--out", out.toString()));
        all.addAll(List.of(SMALL));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void aNpyFileTrainsAndItsRunRemembersItForEvalAndResume() throws Exception {
        Path x = npy(tmp.resolve("x.npy"), "<f4", new int[] {96, 6}, uniform(96 * 6, 1));
        double[] labels = new double[96];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        Path y = npy(tmp.resolve("y.npy"), "<i8", new int[] {96}, labels);
        Path run = tmp.resolve("run");
        Run r = train(run, "--data", x.toString(), "--labels", y.toString(), "--set", "input=6");
        Cli.assertOk(r);
        assertTrue(r.out().contains("split: 86 training and 10 test examples (--test-fraction"
                + " 0.1, --split-seed 0)"), r.out());
        RunConfig c = RunFolder.open(run).config();
        assertEquals(x.toAbsolutePath() + "?labels=" + java.net.URLEncoder.encode(
                y.toAbsolutePath().toString(), StandardCharsets.UTF_8), c.dataset());
        assertTrue(Files.isRegularFile(run.resolve("latent.png")));
        assertFalse(Files.exists(run.resolve("reconstructions.png")), "rows are not images");
        // eval and resume read the recorded data, from another working folder as well
        Run eval = Cli.run("eval", "--run", run.toString(), "--backend", "ejml",
                "--iw-samples", "0");
        Cli.assertOk(eval);
        assertTrue(eval.out().contains("negative ELBO"), eval.out());
        Cli.assertOk(Cli.run("resume", "--run", run.toString(), "--epochs", "2"));
        Cli.assertFailsWith(Cli.run("reconstruct", "--run", run.toString()),
                "'reconstruct' draws images, but the data set 'x' holds examples of shape"
                        + " (6), not grey or RGB images");
    }

    @Test
    void fashionMnistTrainsAFewStepsAndNamesItsClasses() throws Exception {
        Path run = tmp.resolve("fashion");
        Run r = train(run, "--data", "fashion-mnist", "--limit", "128");
        Cli.assertOk(r);
        RunConfig c = RunFolder.open(run).config();
        assertEquals("fashion-mnist", c.dataset());
        for (String png : List.of("reconstructions.png", "samples.png", "latent.png")) {
            Cli.assertPng(run.resolve(png));
        }
        Run eval = Cli.run("eval", "--run", run.toString(), "--backend", "ejml", "--limit",
                "200", "--iw-samples", "0");
        Cli.assertOk(eval);
    }

    @Test
    void anImageFolderInColourAndACsvTableTrain() throws Exception {
        Path images = tmp.resolve("photos");
        for (int i = 0; i < 12; i++) {
            String cls = i % 2 == 0 ? "boots" : "hats";
            Path f = images.resolve(cls).resolve("p" + i + (i % 3 == 0 ? ".jpg" : ".png"));
            Files.createDirectories(f.getParent());
            BufferedImage img = new BufferedImage(10 + i % 2, 9, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < img.getWidth(); p++) {
                img.setRGB(p, p % 9, 0x336699 + i * 0x010101);
            }
            assertTrue(ImageIO.write(img, i % 3 == 0 ? "jpeg" : "png", f.toFile()));
        }
        Run r = train(tmp.resolve("img"), "--data", images.toString(), "--channels", "3",
                "--image-size", "6x5", "--set", "input=90");
        Cli.assertOk(r);
        assertTrue(RunFolder.open(tmp.resolve("img")).config().dataset()
                .endsWith("photos?channels=3&image-size=6x5"), r.out());
        // the pictures are in colour: the originals' blue-grey strokes keep their hue
        for (String png : List.of("reconstructions.png", "samples.png")) {
            Cli.assertPng(tmp.resolve("img").resolve(png));
        }
        BufferedImage recon = ImageIO.read(tmp.resolve("img").resolve("reconstructions.png")
                .toFile());
        boolean colour = false;
        for (int yy = 0; yy < recon.getHeight() && !colour; yy++) {
            for (int xx = 0; xx < recon.getWidth() && !colour; xx++) {
                int rgb = recon.getRGB(xx, yy);
                colour = (rgb >> 16 & 0xFF) + 40 < (rgb & 0xFF);
            }
        }
        assertTrue(colour, "reconstructions.png has no pixel bluer than it is red");
        // without --image-size the two sizes are an error naming both files
        Path noResize = tmp.resolve("img2");
        Cli.assertFailsWith(train(noResize, "--data", images.toString(), "--set", "input=90"),
                "image of 11x9 pixels", "p0.jpg has 10x9");
        assertFalse(Files.exists(noResize));

        Path table = tmp.resolve("t.csv");
        StringBuilder csv = new StringBuilder("height,smoker,colour,kind\n");
        for (int i = 0; i < 64; i++) {
            csv.append(150 + i % 7).append(',').append(i % 2 == 0 ? "yes" : "no").append(',')
                    .append(List.of("red", "green", "blue").get(i % 3)).append(',')
                    .append(i % 4 == 0 ? "a" : "b").append('\n');
        }
        Files.writeString(table, csv);
        Run t = train(tmp.resolve("tab"), "--data", table.toString(), "--label-column", "kind",
                "--set", "input=5", "--set", "likelihood=gaussian");
        Cli.assertOk(t);
        assertTrue(t.out().contains("columns of t:"), t.out());
        assertTrue(t.out().contains("colour  categorical [blue, green, red]"), t.out());
        assertTrue(t.out().contains("label: kind, 2 classes [a, b]"), t.out());
    }

    @Test
    void dataOfTheWrongShapeIsRefusedBeforeTrainingNamingBothShapes() throws Exception {
        Path x = npy(tmp.resolve("wide.npy"), "|u1", new int[] {40, 3, 4},
                new double[40 * 12]);
        Path run = tmp.resolve("run");
        Cli.assertFailsWith(train(run, "--data", x.toString()),
                "vae expects examples of shape (784)", "'wide' has rows of 12 values as"
                        + " examples of shape (3x4)");
        assertFalse(Files.exists(run), "nothing written");
    }

    @Test
    void badDataIsOneClearErrorAndNoRunFolder() throws Exception {
        double[] withNan = uniform(20, 2);
        withNan[13] = Double.NaN;
        Path nan = npy(tmp.resolve("nan.npy"), "<f8", new int[] {10, 2}, withNan);
        Path ragged = tmp.resolve("ragged.csv");
        Files.writeString(ragged, "a,b\n1,2\n3\n");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path run = tmp.resolve("run");
        Cli.assertFailsWith(train(run, "--data", nan.toString(), "--set", "input=2"),
                nan + ": element [6, 1] is NaN");
        Cli.assertFailsWith(train(run, "--data", ragged.toString(), "--set", "input=2"),
                ragged + ": row 2 (line 3) has 1 field, but the header has 2 columns");
        Cli.assertFailsWith(train(run, "--data", empty.toString()),
                empty + ": the folder holds no images");
        Cli.assertFailsWith(train(run, "--data", tmp.resolve("nowhere.npy").toString()),
                "--data: no such file or folder: " + tmp.resolve("nowhere.npy"));
        Cli.assertFailsWith(train(run, "--data", nan.toString(), "--channels", "3"),
                "--channels does not apply to a NumPy array");
        Cli.assertFailsWith(train(run, "--labels", "y.npy"), "give --data");
        Cli.assertFailsWith(train(run, "--data", "mnist", "--label-column", "y"),
                "--data mnist is a built-in data set");
        assertFalse(Files.exists(run), "nothing written");
    }

    @Test
    void fashionMnistLegendsAndSampleRowsUseItsClassNamesAndMnistKeepsDigits() throws Exception {
        DataSource fashion = DataSource.fromSpec("fashion-mnist", null, "test");
        org.vae4j.data.Dataset test = fashion.test();
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                "Shirt", "Sneaker", "Bag", "Ankle boot"), Embedding.legendNames(test));
        org.vae4j.data.Dataset digits = DataSource.fromSpec("mnist", null, "test").test();
        assertEquals("digit 7", Embedding.legendNames(digits).get(7));
        assertEquals("Fashion-MNIST", DataSource.titleOf("fashion-mnist"));
        assertEquals("x.npy", DataSource.titleOf("/a/b/x.npy?labels=%2Fa%2Fy.npy"));
    }

    @Test
    void anImageFolderWithAClassCalledMnistIsImagesNotACache() throws Exception {
        Path images = tmp.resolve("imgs");
        for (String cls : List.of("mnist", "other")) {
            for (int i = 0; i < 2; i++) {
                Path f = images.resolve(cls).resolve(i + ".png");
                Files.createDirectories(f.getParent());
                assertTrue(ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY),
                        "png", f.toFile()));
            }
        }
        Run r = train(tmp.resolve("run"), "--data", images.toString(), "--set", "input=16");
        Cli.assertOk(r);
        assertFalse(r.err().contains("data cache"), r.err());
        assertEquals(images.toAbsolutePath().toString(),
                RunFolder.open(tmp.resolve("run")).config().dataset());
    }

    @Test
    void aDataFolderHoldingACacheStillMeansTheCache() throws Exception {
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache);
        Mnist mnist = Mnist.atDefaultLocation();
        mnist.ensureFiles();
        Files.createSymbolicLink(cache.resolve("mnist"), mnist.directory());
        Path run = tmp.resolve("run");
        Run r = train(run, "--data", cache.toString(), "--limit", "64");
        Cli.assertOk(r);
        assertTrue(r.err().contains("note: --data " + cache + " holds a data cache (mnist/);"
                + " reading it as --data-cache " + cache + " --data mnist"), r.err());
        RunConfig c = RunFolder.open(run).config();
        assertEquals("mnist", c.dataset());
        assertEquals(cache.toAbsolutePath().toString(), c.dataDir());
    }
}
