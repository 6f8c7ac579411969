package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import org.vae4j.model.Models;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;

class DeclaredOptionsTest {

    private final Backend be = new ReferenceBackend();

    @Test
    void everyBuiltInDefaultPassesItsOwnCheckAndEveryNumberIsBounded() {
        for (ModelProvider p : Models.list()) {
            for (ModelOption o : p.options()) {
                assertDoesNotThrow(() -> o.check(p.name(), o.defaultValue()), o.toString());
                if (p instanceof BuiltInProvider && (o.type() == ModelOption.Type.INT
                        || o.type() == ModelOption.Type.INTS
                        || o.type() == ModelOption.Type.NUMBER)) {
                    assertTrue(o.hasRange(), p.name() + ": " + o + " has a range");
                }
            }
        }
    }

    @Test
    void aConfigJsonWrittenBeforeOptionsWereTypedStillBuildsTheSameModel() {
        // config.json of a vae run folder as the program wrote it before this change
        String old = "{\n  \"input\" : 784,\n  \"hidden\" : [ 400 ],\n  \"latent\" : 20,\n"
                + "  \"activation\" : \"relu\",\n  \"likelihood\" : \"bernoulli\",\n"
                + "  \"variance\" : 1.0\n}";
        // what it reads back as: the same settings, and those added since at their defaults (an
        // MLP), in the model's declared order
        String now = "{\n  \"input\" : 784,\n  \"hidden\" : [ 400 ],\n  \"arch\" : \"mlp\",\n"
                + "  \"image\" : [ 1, 28, 28 ],\n  \"channels\" : [ 32, 64 ],\n"
                + "  \"kernel\" : 4,\n  \"norm\" : \"none\",\n  \"latent\" : 20,\n"
                + "  \"activation\" : \"relu\",\n  \"likelihood\" : \"bernoulli\",\n"
                + "  \"variance\" : 1.0,\n  \"table-columns\" : \"\",\n  \"flow\" : \"none\",\n"
                + "  \"flow-length\" : 4,\n  \"iaf-hidden\" : 64,\n  \"iaf-context\" : 0\n}";
        try (Model fromOld = Models.create("vae", ModelConfig.fromJson(old), be, 3);
                Model fresh = Models.create("vae", ModelConfig.empty(), be, 3)) {
            assertEquals(ModelConfig.fromJson(now), fromOld.config());
            assertEquals(now, fromOld.config().toJson(), "written back the same way");
            fresh.parameters().forEach((k, p) -> org.junit.jupiter.api.Assertions.assertArrayEquals(
                    p.toArray(), fromOld.parameters().get(k).toArray(), 0f, k));
        }
    }

    @Test
    void fractionalLayerWidthsAreRefusedNotTruncated() {
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create("ae",
                ModelConfig.fromJson("{\"hidden\": [0.5]}"), be, 1));
        assertEquals("ae: setting 'hidden' must be a list of whole numbers, each [1, 65536], got"
                + " [0.5]", e.getMessage());
    }

    @Test
    void anIntegerGivenForANumberSettingIsStoredAsANumber() {
        try (Model m = Models.create("beta-vae", ModelConfig.of(Map.of("beta", 2,
                "hidden", List.of(8), "latent", 2)), be, 1)) {
            assertEquals(2.0, m.config().get("beta"));
            assertEquals(m.config(), ModelConfig.fromJson(m.config().toJson()));
        }
    }
}
