package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vae4j serve} in a child JVM, stopped by SIGTERM while clients keep it busy: every
 * request it accepted is answered in full before the model is closed, later ones are refused
 * cleanly, and the program exits with 143 and no stack trace.
 */
class ServeSignalTest {

    @TempDir
    Path tmp;

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sigtermLetsTheRequestsInFlightFinishThenExits() throws Exception {
        Path run = tmp.resolve("vae");
        Cli.assertOk(Cli.quickTrain(run));
        try (Child child = Child.start(tmp.resolve("log"), "serve", "--run", run.toString(),
                "--port", "0", "--backend", "ejml")) {
            Pattern serving = Pattern.compile("serving vae from .* at http://127\\.0\\.0\\.1:"
                    + "(\\d+)/\n");
            child.await("the server's URL", () -> {
                try {
                    return serving.matcher(child.output()).find();
                } catch (IOException e) {
                    return false;
                }
            });
            Matcher m = serving.matcher(child.output());
            assertTrue(m.find(), child.output());
            String url = "http://127.0.0.1:" + m.group(1) + "/api/v1/reconstruct";
            String body = "{\"inputs\":" + ServeApiTest.rows(64, 784, 0.3f) + "}";

            AtomicInteger answered = new AtomicInteger();
            Map<String, Integer> bad = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(6);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .build();
            for (int c = 0; c < 6; c++) {
                clients.submit(() -> {
                    while (true) {
                        HttpResponse<String> r;
                        try {
                            r = http.send(HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                        } catch (IOException | InterruptedException e) {
                            return; // refused or closed before an answer: the server is gone
                        }
                        if (r.statusCode() == 503) {
                            continue; // a clean refusal while stopping
                        }
                        if (r.statusCode() != 200 || !complete(r.body())) {
                            bad.merge(r.statusCode() + ": " + r.body().substring(0,
                                    Math.min(120, r.body().length())), 1, Integer::sum);
                        } else {
                            answered.incrementAndGet();
                        }
                    }
                });
            }
            child.await("40 answered requests", () -> answered.get() >= 40);
            int before = answered.get();
            child.signal("TERM");
            assertEquals(143, child.waitFor(), child.output());
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "clients stopped");
            assertEquals(Map.of(), bad, "every answer is a complete 200 (or a 503 refusal)");
            System.out.printf("ServeSignalTest: %d requests answered before SIGTERM, %d in all%n",
                    before, answered.get());
            // six clients keep requests queued for the model: those in flight at the signal
            // are answered after it
            assertTrue(answered.get() > before, "answered after SIGTERM: " + answered.get()
                    + " in all, " + before + " before");
            assertFalse(child.output().contains("\tat "), child.output());
            assertFalse(child.output().contains("Exception"), child.output());
        }
    }

    /** Whether a reply is the whole JSON answer: 64 outputs of 784 numbers. */
    static boolean complete(String body) {
        try {
            JsonNode out = JSON.readTree(body).get("outputs");
            return out != null && out.size() == 64 && out.get(63).size() == 784;
        } catch (IOException e) {
            return false;
        }
    }
}
