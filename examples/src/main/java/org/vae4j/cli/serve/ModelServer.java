package org.vae4j.cli.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Decoder;
import org.vae4j.model.Encoder;
import org.vae4j.model.Generator;
import org.vae4j.model.Model;
import org.vae4j.model.Reconstructor;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;
import org.vae4j.random.Rng;

/**
 * The JSON API over one loaded model, on Javalin (Jetty). A model and its backend are not
 * thread-safe, so every call into them runs under one fair lock: requests are parsed and
 * answered in parallel on Jetty's threads, and take turns only for the model work itself.
 */
public final class ModelServer implements AutoCloseable {

    /** Largest request body, in bytes, unless told otherwise; larger ones get 413. */
    public static final long DEFAULT_MAX_BODY = 8L << 20;
    /** Most rows in one batched request, and most samples or steps. */
    public static final int MAX_BATCH = 256;

    private final Model model;
    private final AnomalyDetector detector;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final AtomicLong lockWaitNanos = new AtomicLong();
    private final AtomicLong modelCalls = new AtomicLong();
    private final Javalin app;

    private final Dataset examples;
    private final Path metrics;
    /** The model's inputs as images (channels x height x width), or null for other data. */
    private final Shape image;

    private ModelServer(Model model, AnomalyDetector detector, Dataset examples, Path metrics,
            long maxBody) {
        this.model = model;
        this.detector = detector;
        this.examples = examples;
        this.metrics = metrics;
        this.image = imageShape(model, examples);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = maxBody;
            config.jetty.modifyServer(server -> server.setStopTimeout(10_000));
            config.routes.get("/api/v1/health", ctx -> json(ctx, health()));
            config.routes.get("/api/v1/model", ctx -> json(ctx, describe()));
            config.routes.get("/api/v1/examples", ctx -> json(ctx, examples(ctx)));
            config.routes.get("/api/v1/metrics", ctx -> json(ctx, metrics()));
            for (String page : new String[] {"index.html", "explorer.js", "explorer.css"}) {
                String type = page.endsWith(".html") ? "text/html; charset=utf-8"
                        : page.endsWith(".js") ? "text/javascript; charset=utf-8"
                        : "text/css; charset=utf-8";
                byte[] bytes = resource(page);
                config.routes.get(page.equals("index.html") ? "/" : "/" + page,
                        ctx -> ctx.contentType(type).result(bytes));
            }
            config.routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json")
                    .result(resource("openapi.json")));
            config.routes.post("/api/v1/encode", ctx -> json(ctx, encode(body(ctx))));
            config.routes.post("/api/v1/decode", ctx -> json(ctx, decode(body(ctx))));
            config.routes.post("/api/v1/reconstruct", ctx -> json(ctx, reconstruct(body(ctx))));
            config.routes.post("/api/v1/sample", ctx -> json(ctx, sample(body(ctx))));
            config.routes.post("/api/v1/interpolate", ctx -> json(ctx, interpolate(body(ctx))));
            config.routes.post("/api/v1/score", ctx -> json(ctx, score(body(ctx))));
            config.routes.exception(ApiException.class, (e, ctx) ->
                    error(ctx, e.status(), e.getMessage(), e.field(), e.expected()));
            config.routes.exception(HttpResponseException.class, (e, ctx) ->
                    error(ctx, e.getStatus(), e.getStatus() == 413
                            ? "the request body is larger than " + maxBody + " bytes"
                            : e.getMessage(), null, null));
            config.routes.exception(Exception.class, (e, ctx) ->
                    error(ctx, 500, "internal error: " + e, null, null));
            config.routes.error(404, "*", ctx -> {
                if (!ctx.res().isCommitted() && ctx.path().startsWith("/api/")) {
                    error(ctx, 404, "no endpoint " + ctx.method() + " " + ctx.path(), null,
                            "see /api/v1/openapi.json");
                }
            });
        });
    }

    /** Starts a server over {@code model} on {@code host:port} (port 0: any free port). */
    public static ModelServer start(Model model, AnomalyDetector detector, Dataset examples,
            Path metrics, String host, int port, long maxBody) {
        ModelServer s = new ModelServer(model, detector, examples, metrics, maxBody);
        s.app.start(host, port);
        return s;
    }

    public int port() {
        return app.port();
    }

    /** Time requests spent waiting for the model lock, and model calls made, so far. */
    public long lockWaitNanos() {
        return lockWaitNanos.get();
    }

    public long modelCalls() {
        return modelCalls.get();
    }

    /** Stops taking requests, lets those in flight finish (up to 10 s), and stops. */
    @Override
    public void close() {
        app.stop();
    }

    /**
     * The shape of one input as an image: the model's own when it reads images, else the served
     * examples' image shape (an MLP on flat MNIST rows reads 28x28 images too), else null.
     */
    private static Shape imageShape(Model model, Dataset examples) {
        Shape s = model.inputShape();
        if (s.rank() == 3 && (s.dim(0) == 1 || s.dim(0) == 3)) {
            return s;
        }
        if (examples != null && examples.hasImageShape()
                && examples.features() == model.inputSize()) {
            return examples.asImages().exampleShape();
        }
        return null;
    }

    /** Whether the request asks for outputs as PNGs ({@code "format": "png"}). */
    private boolean png(ObjectNode req) {
        String format = Json.choice(req, "format", "json", "json", "png");
        if (format.equals("png") && image == null) {
            throw ApiException.badField("format", "format png asked of a model whose inputs are"
                    + " not images (shape " + model.inputShape() + ")", "format json");
        }
        return format.equals("png");
    }

    private static String body(Context ctx) {
        return ctx.body();
    }

    private static void json(Context ctx, ObjectNode node) {
        ctx.contentType("application/json").result(node.toString());
    }

    private static void error(Context ctx, int status, String message, String field,
            String expected) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("error", message);
        if (field != null) {
            e.put("field", field);
        }
        if (expected != null) {
            e.put("expected", expected);
        }
        ctx.status(status).contentType("application/json").result(e.toString());
    }

    private static byte[] resource(String name) {
        try (InputStream in = ModelServer.class.getResourceAsStream(
                "/org/vae4j/serve/" + name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Test examples for the page: {@code n} of them from {@code offset}, with labels. */
    private ObjectNode examples(Context ctx) {
        if (examples == null) {
            throw cannot("list examples: no test data was loaded");
        }
        ObjectNode q = Json.MAPPER.createObjectNode();
        for (String name : ctx.queryParamMap().keySet()) {
            String v = ctx.queryParam(name);
            try {
                q.put(name, Long.parseLong(v));
            } catch (NumberFormatException e) {
                q.put(name, v);
            }
        }
        Json.object(q.toString(), Set.of("n", "offset"));
        int size = examples.size();
        int offset = Json.intField(q, "offset", 0, 0, Math.max(0, size - 1));
        int n = Math.min(Json.intField(q, "n", 64, 1, 1000), size - offset);
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode rows = o.putArray("inputs");
        ArrayNode labels = o.putArray("labels");
        for (int i = offset; i < offset + n; i++) {
            ArrayNode r = rows.addArray();
            for (float v : examples.row(i)) {
                r.add(v);
            }
            labels.add(examples.hasLabels() ? examples.label(i) : -1);
        }
        if (examples.hasImageShape()) {
            o.putArray("image").add(examples.imageChannels()).add(examples.imageHeight())
                    .add(examples.imageWidth());
        }
        o.put("total", size);
        return o;
    }

    /** The run's metrics.csv as columns of numbers (empty when the run has none). */
    private ObjectNode metrics() throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ObjectNode cols = o.putObject("columns");
        if (metrics == null || !Files.isRegularFile(metrics)) {
            return o;
        }
        List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return o;
        }
        String[] head = lines.get(0).split(",", -1);
        ArrayNode[] arrays = new ArrayNode[head.length];
        for (int j = 0; j < head.length; j++) {
            arrays[j] = cols.putArray(head[j].trim());
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            for (int j = 0; j < head.length; j++) {
                String c = j < cells.length ? cells[j].trim() : "";
                try {
                    double v = Double.parseDouble(c);
                    if (Double.isFinite(v)) {
                        arrays[j].add(v);
                    } else {
                        arrays[j].addNull();
                    }
                } catch (NumberFormatException e) {
                    arrays[j].addNull();
                }
            }
        }
        return o;
    }

    private <T> T locked(Supplier<T> work) {
        long asked = System.nanoTime();
        lock.lock();
        try {
            lockWaitNanos.addAndGet(System.nanoTime() - asked);
            modelCalls.incrementAndGet();
            Backend b = model.backend();
            try (TensorScope scope = b.newScope()) {
                return work.get();
            }
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode health() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("status", "ok");
        o.put("model", model.typeName());
        o.put("model_calls", modelCalls.get());
        return o;
    }

    private int classes() {
        return model instanceof Generator g ? g.numClasses() : 0;
    }

    private ObjectNode describe() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("type", model.typeName());
        o.set("config", Json.MAPPER.valueToTree(model.config().asMap()));
        ArrayNode shape = o.putArray("input_shape");
        for (int d : model.inputShape().dims()) {
            shape.add(d);
        }
        o.put("input_size", model.inputSize());
        if (image != null) {
            ArrayNode im = o.putArray("image_shape");
            for (int d : image.dims()) {
                im.add(d);
            }
        }
        if (model instanceof Encoder e) {
            o.put("latent_size", e.latentSize());
        }
        o.put("classes", classes());
        ArrayNode can = o.putArray("endpoints");
        if (model instanceof Encoder) {
            can.add("encode");
        }
        if (model instanceof Decoder) {
            can.add("decode");
        }
        if (model instanceof Reconstructor) {
            can.add("reconstruct");
        }
        if (model instanceof Generator) {
            can.add("sample");
        }
        if (model instanceof Encoder && model instanceof Decoder) {
            can.add("interpolate");
        }
        if (detector != null) {
            can.add("score");
            o.put("score", detector.scoreName());
            o.put("threshold", detector.hasThreshold() ? detector.threshold().value() : null);
        }
        return o;
    }

    private ApiException cannot(String what) {
        return new ApiException(409, null, "model '" + model.typeName() + "' cannot " + what,
                "one of the endpoints listed by /api/v1/model");
    }

    private ObjectNode encode(String body) {
        if (!(model instanceof Encoder enc)) {
            throw cannot("encode");
        }
        ObjectNode req = Json.object(body, Set.of("inputs", "labels"));
        float[] x = Json.rows(req, "inputs", model.inputSize(), MAX_BATCH, image);
        int n = x.length / model.inputSize();
        int[] labels = Json.labels(req, "labels", n, classes());
        float[] z = locked(() -> enc.encode(new Batch(model.backend().fromArray(x,
                Shape.of(n, model.inputSize())), labels)).toArray());
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("z", Json.matrix(z, n));
        return o;
    }

    private ObjectNode decode(String body) {
        if (!(model instanceof Decoder dec) || !(model instanceof Encoder enc)) {
            throw cannot("decode");
        }
        ObjectNode req = Json.object(body, Set.of("z", "labels", "format"));
        boolean png = png(req);
        int latent = enc.latentSize();
        float[] z = Json.rows(req, "z", latent, MAX_BATCH, null);
        int n = z.length / latent;
        int[] labels = Json.labels(req, "labels", n, classes());
        float[] out = locked(() -> dec.decode(model.backend().fromArray(z, Shape.of(n, latent)),
                labels).toArray());
        return outputs(out, n, png);
    }

    private ObjectNode reconstruct(String body) {
        if (!(model instanceof Reconstructor r)) {
            throw cannot("reconstruct");
        }
        ObjectNode req = Json.object(body, Set.of("inputs", "labels", "format"));
        boolean png = png(req);
        float[] x = Json.rows(req, "inputs", model.inputSize(), MAX_BATCH, image);
        int n = x.length / model.inputSize();
        int[] labels = Json.labels(req, "labels", n, classes());
        float[] out = locked(() -> r.reconstruct(new Batch(model.backend().fromArray(x,
                Shape.of(n, model.inputSize())), labels)).toArray());
        return outputs(out, n, png);
    }

    private ObjectNode sample(String body) {
        if (!(model instanceof Generator g)) {
            throw cannot("sample: it has no prior");
        }
        ObjectNode req = Json.object(body, Set.of("n", "seed", "label", "format"));
        boolean png = png(req);
        int n = Json.intField(req, "n", 16, 1, MAX_BATCH);
        long seed = Json.longField(req, "seed", 1);
        int classes = classes();
        if (classes == 0 && req.has("label")) {
            throw ApiException.badField("label", "label given to an unconditional model",
                    "no label");
        }
        Integer label = classes > 0 ? Json.optionalInt(req, "label", 0, classes - 1) : null;
        int[] labels = null;
        if (classes > 0) {
            labels = new int[n];
            Rng pick = new Rng(seed ^ 0x5DEECE66DL);
            for (int i = 0; i < n; i++) {
                labels[i] = label != null ? label : pick.nextInt(classes);
            }
        }
        int[] drawn = labels;
        float[] out = locked(() -> g.sample(n, drawn, new Rng(seed)).toArray());
        ObjectNode o = outputs(out, n, png);
        if (drawn != null) {
            ArrayNode l = o.putArray("labels");
            for (int v : drawn) {
                l.add(v);
            }
        }
        return o;
    }

    private ObjectNode interpolate(String body) {
        if (!(model instanceof Decoder dec) || !(model instanceof Encoder enc)) {
            throw cannot("interpolate: it needs an encoder and a decoder");
        }
        ObjectNode req = Json.object(body, Set.of("from", "to", "z_from", "z_to", "steps",
                "label", "format"));
        boolean png = png(req);
        int steps = Json.intField(req, "steps", 8, 2, MAX_BATCH);
        int latent = enc.latentSize();
        int d = model.inputSize();
        boolean codes = req.has("z_from") || req.has("z_to");
        if (codes && (req.has("from") || req.has("to"))) {
            throw ApiException.badField(req.has("from") ? "from" : "to",
                    "give either inputs (from, to) or codes (z_from, z_to), not both",
                    "from and to, or z_from and z_to");
        }
        float[] a = codes ? Json.row(req, "z_from", latent, null)
                : Json.row(req, "from", d, image);
        float[] b = codes ? Json.row(req, "z_to", latent, null) : Json.row(req, "to", d, image);
        int classes = classes();
        Integer label = classes > 0 ? Json.optionalInt(req, "label", 0, classes - 1) : null;
        if (classes > 0 && label == null) {
            throw ApiException.badField("label", "label is missing: the model is conditional",
                    "an integer from 0 to " + (classes - 1));
        }
        if (classes == 0 && req.has("label")) {
            throw ApiException.badField("label", "label given to an unconditional model",
                    "no label");
        }
        int[] labels = label == null ? null : filled(steps, label);
        float[][] zs = new float[2][];
        float[] out = locked(() -> {
            float[] za = a;
            float[] zb = b;
            if (!codes) {
                float[] both = new float[2 * d];
                System.arraycopy(a, 0, both, 0, d);
                System.arraycopy(b, 0, both, d, d);
                float[] z = enc.encode(new Batch(model.backend().fromArray(both, Shape.of(2, d)),
                        label == null ? null : filled(2, label))).toArray();
                za = java.util.Arrays.copyOfRange(z, 0, latent);
                zb = java.util.Arrays.copyOfRange(z, latent, 2 * latent);
            }
            float[] path = new float[steps * latent];
            for (int s = 0; s < steps; s++) {
                float t = s / (float) (steps - 1);
                for (int j = 0; j < latent; j++) {
                    // z(t) = (1 − t)·z_a + t·z_b
                    path[s * latent + j] = (1 - t) * za[j] + t * zb[j];
                }
            }
            zs[0] = path;
            return dec.decode(model.backend().fromArray(path, Shape.of(steps, latent)), labels)
                    .toArray();
        });
        ObjectNode o = outputs(out, steps, png);
        o.set("z", Json.matrix(zs[0], steps));
        return o;
    }

    private ObjectNode score(String body) {
        if (detector == null) {
            throw cannot("score inputs");
        }
        ObjectNode req = Json.object(body, Set.of("inputs", "labels"));
        int d = model.inputSize();
        float[] x = Json.rows(req, "inputs", d, MAX_BATCH, image);
        int n = x.length / d;
        int[] labels = Json.labels(req, "labels", n, classes());
        Dataset data = (labels == null ? Dataset.unlabelled("request", x, d)
                : Dataset.of("request", x, d, labels, classes()))
                .withExampleShape(model.inputShape());
        float[] scores = locked(() -> {
            try (DataLoader loader = DataLoader.builder(data, model.backend()).setBatchSize(n)
                    .build()) {
                return detector.score(loader);
            }
        });
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("score", detector.scoreName());
        ArrayNode s = o.putArray("scores");
        for (float v : scores) {
            s.add(v);
        }
        if (detector.hasThreshold()) {
            o.put("threshold", detector.threshold().value());
            ArrayNode f = o.putArray("flags");
            for (float v : scores) {
                f.add(detector.threshold().flags(v));
            }
        }
        return o;
    }

    private static int[] filled(int n, int value) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private ObjectNode outputs(float[] out, int n, boolean png) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("outputs", Json.rowsOut(out, n, png ? image : null));
        return o;
    }
}
