package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The serve command's JSON API, started on a loopback port and called over HTTP. */
class ServeApiTest {

    @TempDir
    static Path shared;

    static ServeCommand.Served served;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Path run = shared.resolve("vae");
        Cli.assertOk(Cli.quickTrain(run));
        served = open(run);
        base = "http://127.0.0.1:" + served.server().port();
    }

    static ServeCommand.Served open(Path run, String... more) throws Exception {
        CommandLine cl = Main.commandLine();
        List<String> args = new ArrayList<>(List.of("serve", "--run", run.toString(), "--port",
                "0", "--backend", "ejml"));
        args.addAll(List.of(more));
        CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
        ServeCommand command = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        return command.open();
    }

    @AfterAll
    static void stop() {
        if (served != null) {
            served.close();
        }
    }

    record Reply(int status, JsonNode json) {
    }

    static Reply get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    static Reply post(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    static String rows(int n, int width, float value) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i > 0 ? "," : "").append('[');
            for (int j = 0; j < width; j++) {
                b.append(j > 0 ? "," : "").append(value + 0.001f * ((i + j) % 7));
            }
            b.append(']');
        }
        return b.append(']').toString();
    }

    static String rows(int n, float value) {
        return rows(n, 784, value);
    }

    @Test
    void healthAndModelDescribeTheServedModel() throws Exception {
        assertEquals("ok", get("/api/v1/health").json().get("status").asText());
        Reply m = get("/api/v1/model");
        assertEquals(200, m.status());
        assertEquals("vae", m.json().get("type").asText());
        assertEquals(784, m.json().get("input_size").asInt());
        assertEquals(4, m.json().get("latent_size").asInt());
        assertEquals(0, m.json().get("classes").asInt());
        assertTrue(m.json().get("endpoints").toString().contains("interpolate"));
        assertEquals(32, m.json().get("config").get("hidden").get(0).asInt(), m.json().toString());
    }

    @Test
    void explorerPageExamplesAndMetricsAreServed() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"/explorer.js\">"), page.body());
        assertFalse(page.body().contains("http"), "no CDN: " + page.body());
        HttpResponse<String> js = HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/explorer.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith(
                "text/javascript"));
        Reply ex = get("/api/v1/examples?n=5&offset=2");
        assertEquals(200, ex.status(), ex.json().toString());
        assertEquals(5, ex.json().get("inputs").size());
        assertEquals(784, ex.json().get("inputs").get(0).size());
        assertEquals("[1,28,28]", ex.json().get("image").toString());
        assertBad(get("/api/v1/examples?n=0"), "n", "out of range");
        assertBad(get("/api/v1/examples?count=3"), "count", "unknown field");
        Reply m = get("/api/v1/metrics");
        assertEquals(1, m.json().get("columns").get("epoch").size(), m.json().toString());
    }

    @Test
    void benchmarkServeReportsItsMeasuresWithoutErrors() {
        Cli.Run r = Cli.run("benchmark", "serve", "--run", shared.resolve("vae").toString(),
                "--clients", "2", "--seconds", "1", "--backend", "ejml");
        Cli.assertOk(r);
        for (String row : List.of("requests", "latency      p50", "errors       0",
                "model lock", "heap")) {
            assertTrue(r.out().contains(row), row + " in:\n" + r.out());
        }
    }

    @Test
    void badServeFlagsAreRefusedBeforeLoading() {
        Cli.assertFailsWith(Cli.run("serve", "--run", shared.resolve("vae").toString(),
                "--port", "70000"), "--port");
        Cli.assertFailsWith(Cli.run("serve", "--run", shared.resolve("vae").toString(),
                "--max-body", "10"), "--max-body");
    }

    @Test
    void openApiDocumentListsEveryEndpoint() throws Exception {
        Reply r = get("/api/v1/openapi.json");
        assertEquals(200, r.status());
        for (String e : List.of("health", "model", "encode", "decode", "reconstruct", "sample",
                "interpolate", "score")) {
            assertTrue(r.json().get("paths").has("/api/v1/" + e), e);
        }
    }

    @Test
    void encodeThenDecodeRoundTripsABatch() throws Exception {
        Reply z = post("/api/v1/encode", "{\"inputs\":" + rows(3, 0.2f) + "}");
        assertEquals(200, z.status(), z.json().toString());
        assertEquals(3, z.json().get("z").size());
        assertEquals(4, z.json().get("z").get(0).size());
        Reply d = post("/api/v1/decode", "{\"z\":" + z.json().get("z") + "}");
        assertEquals(200, d.status(), d.json().toString());
        assertEquals(3, d.json().get("outputs").size());
        assertEquals(784, d.json().get("outputs").get(0).size());
        Reply r = post("/api/v1/reconstruct", "{\"inputs\":" + rows(3, 0.2f) + "}");
        // a VAE reconstructs from its posterior mean: the same as decoding the encoding
        assertEquals(d.json().get("outputs").get(1).get(300).asDouble(),
                r.json().get("outputs").get(1).get(300).asDouble(), 1e-5);
    }

    /** A grey PNG of one 28x28 row of [0, 1] values, base64. */
    static String png(JsonNode row) throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 784; i++) {
            img.getRaster().setSample(i % 28, i / 28, 0,
                    (int) Math.round(row.get(i).asDouble() * 255));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    @Test
    void imagesGoInAndComeOutAsBase64Pngs() throws Exception {
        assertEquals("[1,28,28]", get("/api/v1/model").json().get("image_shape").toString());
        JsonNode row = get("/api/v1/examples?n=1&offset=7").json().get("inputs").get(0);
        // MNIST pixels are k/255, so the PNG holds exactly the row
        Reply asNumbers = post("/api/v1/encode", "{\"inputs\":[" + row + "]}");
        Reply asPng = post("/api/v1/encode", "{\"inputs\":[\"data:image/png;base64,"
                + png(row) + "\"]}");
        assertEquals(200, asPng.status(), asPng.json().toString());
        assertEquals(asNumbers.json().get("z").toString(), asPng.json().get("z").toString());

        Reply numbers = post("/api/v1/reconstruct", "{\"inputs\":[" + row + "]}");
        Reply pngs = post("/api/v1/reconstruct", "{\"inputs\":[\"" + png(row)
                + "\"],\"format\":\"png\"}");
        assertEquals(200, pngs.status(), pngs.json().toString());
        BufferedImage out = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                pngs.json().get("outputs").get(0).asText())));
        assertEquals(28, out.getWidth());
        assertEquals(28, out.getHeight());
        for (int i : new int[] {0, 300, 406, 783}) {
            double v = numbers.json().get("outputs").get(0).get(i).asDouble();
            assertEquals(Math.round(v * 255), out.getRaster().getSample(i % 28, i / 28, 0), 1,
                    "pixel " + i);
        }
        Reply sampled = post("/api/v1/sample", "{\"n\":2,\"format\":\"png\"}");
        assertEquals(2, sampled.json().get("outputs").size(), sampled.json().toString());
        assertTrue(sampled.json().get("outputs").get(1).isTextual());

        BufferedImage small = new BufferedImage(10, 12, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(small, "png", bytes);
        String wrongSize = Base64.getEncoder().encodeToString(bytes.toByteArray());
        assertBad(post("/api/v1/encode", "{\"inputs\":[" + row + ",\"" + wrongSize + "\"]}"),
                "inputs[1]", "an image of 10x12 pixels");
        assertBad(post("/api/v1/encode", "{\"inputs\":[\"bm90IGFuIGltYWdl\"]}"),
                "inputs[0]", "no PNG, JPEG, BMP or GIF image");
        assertBad(post("/api/v1/reconstruct", "{\"inputs\":[" + row + "],\"format\":\"gif\"}"),
                "format", "the string \"gif\"");
    }

    @Test
    void aConditionalModelNeedsOneLabelPerRowOnEveryEndpointThatReadsInputs() throws Exception {
        Path run = shared.resolve("cvae");
        Cli.assertOk(Cli.quickTrain(run, "--model", "cvae"));
        String saved = base;
        try (ServeCommand.Served cvae = open(run)) {
            base = "http://127.0.0.1:" + cvae.server().port();
            String two = rows(2, 784, 0.1f);
            for (String endpoint : new String[] {"encode", "reconstruct", "score"}) {
                assertBad(post("/api/v1/" + endpoint, "{\"inputs\":" + two + "}"), "labels",
                        "labels is missing: the model is conditional");
                assertBad(post("/api/v1/" + endpoint, "{\"inputs\":" + two
                        + ",\"labels\":[1,10]}"), "labels[1]", "is 10");
                Reply ok = post("/api/v1/" + endpoint, "{\"inputs\":" + two
                        + ",\"labels\":[1,7]}");
                assertEquals(200, ok.status(), endpoint + ": " + ok.json());
            }
            Reply s1 = post("/api/v1/score", "{\"inputs\":" + two + ",\"labels\":[1,1]}");
            Reply s7 = post("/api/v1/score", "{\"inputs\":" + two + ",\"labels\":[7,7]}");
            assertNotEquals(s1.json().get("scores").toString(), s7.json().get("scores").toString(),
                    "the score is conditioned on the label");
        } finally {
            base = saved;
        }
    }

    @Test
    void sampleIsSeededAndInterpolateEndsAtBothCodes() throws Exception {
        JsonNode a = post("/api/v1/sample", "{\"n\":4,\"seed\":7}").json();
        JsonNode b = post("/api/v1/sample", "{\"n\":4,\"seed\":7}").json();
        JsonNode c = post("/api/v1/sample", "{\"n\":4,\"seed\":8}").json();
        assertEquals(4, a.get("outputs").size());
        assertEquals(a, b);
        assertNotEquals(a, c);
        Reply i = post("/api/v1/interpolate",
                "{\"z_from\":[0,0,0,0],\"z_to\":[1,-1,2,0.5],\"steps\":5}");
        assertEquals(200, i.status(), i.json().toString());
        assertEquals(5, i.json().get("outputs").size());
        assertEquals(2.0, i.json().get("z").get(4).get(2).asDouble(), 1e-6);
        assertEquals(1.0, i.json().get("z").get(2).get(2).asDouble(), 1e-6);
        Reply fromInputs = post("/api/v1/interpolate", "{\"from\":" + rows(1, 0.1f).substring(1,
                rows(1, 0.1f).length() - 1) + ",\"to\":" + rows(1, 0.6f).substring(1,
                rows(1, 0.6f).length() - 1) + ",\"steps\":3}");
        assertEquals(200, fromInputs.status(), fromInputs.json().toString());
        assertEquals(3, fromInputs.json().get("outputs").size());
    }

    @Test
    void scoreGivesOneScorePerInput() throws Exception {
        Reply s = post("/api/v1/score", "{\"inputs\":" + rows(2, 0.0f) + "}");
        assertEquals(200, s.status(), s.json().toString());
        assertEquals(2, s.json().get("scores").size());
        assertTrue(Double.isFinite(s.json().get("scores").get(0).asDouble()));
        assertFalse(s.json().get("score").asText().isEmpty());
    }

    @Test
    void badRequestsGet400NamingTheField() throws Exception {
        assertBad(post("/api/v1/encode", "{\"inputs\": [[1,2"), null, "not valid JSON");
        assertBad(post("/api/v1/encode", "[1,2]"), null, "not an object");
        assertBad(post("/api/v1/encode", "{\"inputs\":" + rows(1, 0.1f) + ",\"extra\":1}"),
                "extra", "unknown field");
        assertBad(post("/api/v1/encode", "{\"inputs\":" + rows(2, 10, 0.1f) + "}"), "inputs[0]",
                "holds 10 values");
        assertBad(post("/api/v1/encode", "{\"inputs\":[[" + "\"a\"," + "0,".repeat(782)
                + "0]]}"), "inputs[0][0]", "the string");
        assertBad(post("/api/v1/encode", "{\"inputs\":[[NaN]]}"), null, "not valid JSON");
        assertBad(post("/api/v1/encode", "{\"inputs\":[[1e400," + "0,".repeat(782) + "0]]}"),
                "inputs[0][0]", "Infinity");
        assertBad(post("/api/v1/encode", "{}"), "inputs", "missing");
        assertBad(post("/api/v1/sample", "{\"n\":100000}"), "n", "out of range");
        assertBad(post("/api/v1/sample", "{\"n\":\"4\"}"), "n", "the string");
        assertBad(post("/api/v1/sample", "{\"label\":3}"), "label", "unconditional");
        assertBad(post("/api/v1/decode", "{\"z\":[[1,2,3]]}"), "z[0]", "holds 3 values");
        assertBad(post("/api/v1/interpolate", "{\"z_from\":[0,0,0,0],\"z_to\":[1,1,1,1],"
                + "\"steps\":1}"), "steps", "out of range");
        assertBad(post("/api/v1/encode", "{\"inputs\":" + rows(257, 1, 0f) + "}"), "inputs",
                "over the limit");
        assertEquals("ok", get("/api/v1/health").json().get("status").asText());
    }

    static void assertBad(Reply r, String field, String message) {
        assertEquals(400, r.status(), r.json().toString());
        String error = r.json().get("error").asText();
        assertTrue(error.contains(message), error);
        assertTrue(r.json().has("expected"), r.json().toString());
        if (field != null) {
            assertEquals(field, r.json().get("field").asText(), r.json().toString());
        }
    }

    @Test
    void bodiesOverTheLimitGet413AndUnknownPaths404() throws Exception {
        StringBuilder huge = new StringBuilder("{\"inputs\":[");
        while (huge.length() < ModelServerLimit.BYTES + 10) {
            huge.append("0.000000000,");
        }
        huge.append("0]}");
        Reply r = post("/api/v1/encode", huge.toString());
        assertEquals(413, r.status(), r.json().toString());
        assertTrue(r.json().get("error").asText().contains("larger than"));
        assertEquals(404, get("/api/v1/nothing").status());
        assertEquals("ok", get("/api/v1/health").json().get("status").asText());
    }

    /** The default body limit, 8 MiB. */
    static final class ModelServerLimit {
        static final long BYTES = org.vae4j.cli.serve.ModelServer.DEFAULT_MAX_BODY;
    }

    @Test
    void concurrentRequestsAllSucceedAndTakeTurnsForTheModel() throws Exception {
        long before = served.server().modelCalls();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int seed = i;
                replies.add(pool.submit(() -> i(seed)));
            }
            JsonNode first = null;
            for (int i = 0; i < replies.size(); i++) {
                Reply r = replies.get(i).get();
                assertEquals(200, r.status(), r.json().toString());
                if (i % 2 == 0) {
                    first = first == null ? r.json() : first;
                    assertEquals(first, r.json(), "the same seed draws the same samples");
                }
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(before + 64, served.server().modelCalls());
    }

    private static Reply i(int i) throws Exception {
        return i % 2 == 0 ? post("/api/v1/sample", "{\"n\":8,\"seed\":3}")
                : post("/api/v1/reconstruct", "{\"inputs\":" + rows(8, 0.3f) + "}");
    }
}
