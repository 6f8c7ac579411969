package org.vae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

    private static ModelConfig roundTrip(ModelConfig c) {
        return ModelConfig.fromJson(c.toJson());
    }

    private static Map<String, Object> stage(int channels, double dropout) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", channels);
        m.put("dropout", dropout);
        return m;
    }

    @Test
    void nestedObjectsAndListsOfObjectsRoundTripExactly() {
        Map<String, Object> conv = new LinkedHashMap<>();
        conv.put("kernel", 4);
        conv.put("norm", "batch");
        conv.put("stages", List.of(stage(32, 0.1), stage(64, 0.0)));
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("arch", "conv");
        top.put("conv", conv);
        top.put("latent", 16);
        ModelConfig c = ModelConfig.of(top);
        ModelConfig back = roundTrip(c);
        assertEquals(c, back);
        assertEquals(c.toJson(), back.toJson());
        ModelConfig nested = back.getConfig("conv");
        assertEquals(4, nested.getInt("kernel", 0));
        List<ModelConfig> stages = nested.getConfigs("stages");
        assertEquals(2, stages.size());
        assertEquals(64, stages.get(1).getInt("channels", 0));
        assertInstanceOf(Double.class, stages.get(1).get("dropout"), "0.0 stays a double");
        assertEquals(ModelConfig.empty(), back.getConfig("absent"));
    }

    @Test
    void wholeNumbersStayIntegersAndOtherNumbersStayDoubles() {
        ModelConfig c = ModelConfig.of(Map.of("a", 3, "b", 3.0, "c", 1e-5, "d", 5_000_000_000L,
                "e", List.of(1, 2.5)));
        ModelConfig back = roundTrip(c);
        assertInstanceOf(Integer.class, back.get("a"));
        assertInstanceOf(Double.class, back.get("b"));
        assertEquals(1e-5, back.get("c"));
        assertEquals(5_000_000_000L, back.get("d"));
        assertEquals(List.of(1, 2.5), back.get("e"));
        assertEquals(c, back);
    }

    @Test
    void aListOfFractionsIsNoLongerTruncated() {
        ModelConfig c = ModelConfig.fromJson("{\"rates\": [0.5, 0.25]}");
        assertEquals(List.of(0.5, 0.25), c.get("rates"));
        assertArrayEquals(new double[] {0.5, 0.25}, c.getDoubles("rates"));
        var e = assertThrows(IllegalArgumentException.class, () -> c.getInts("rates"));
        assertEquals("setting 'rates' must be a list of whole numbers, got [0.5, 0.25]",
                e.getMessage());
        assertEquals("{\n  \"rates\" : [ 0.5, 0.25 ]\n}", c.toJson());
    }

    @Test
    void anOldFlatConfigJsonStillReadsAsBefore() {
        String old = "{\n  \"input\" : 784,\n  \"hidden\" : [ 512, 256 ],\n  \"latent\" : 20,\n"
                + "  \"activation\" : \"relu\",\n  \"likelihood\" : \"bernoulli\",\n"
                + "  \"variance\" : 1.0,\n  \"ema\" : false\n}";
        ModelConfig c = ModelConfig.fromJson(old);
        assertEquals(old, c.toJson(), "written back byte for byte");
        assertArrayEquals(new int[] {512, 256}, c.getInts("hidden"));
        assertEquals(20, c.getInt("latent", 0));
        assertEquals(1.0, c.getDouble("variance", 0));
        assertEquals(false, c.getBoolean("ema", true));
    }

    @Test
    void withAllMergesNestedSettingsAndReplacesLists() {
        ModelConfig defaults = ModelConfig.of(Map.of("conv", Map.of("kernel", 4, "stride", 2),
                "hidden", List.of(400)));
        ModelConfig given = ModelConfig.of(Map.of("conv", Map.of("kernel", 3),
                "hidden", List.of(32, 16)));
        ModelConfig merged = defaults.withAll(given);
        assertEquals(ModelConfig.of(Map.of("kernel", 3, "stride", 2)), merged.getConfig("conv"));
        assertEquals(List.of(32, 16), merged.get("hidden"));
    }

    @Test
    void nestedValuesAreRefusedWhereAFlatOneIsExpectedAndViceVersa() {
        ModelConfig c = ModelConfig.of(Map.of("conv", Map.of("kernel", 3), "n", 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.getConfig("n"))
                .getMessage().contains("'n' must be nested settings"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.getConfigs("conv"))
                .getMessage().contains("'conv' must be a list of nested settings"));
        assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.of(Map.of("x", new Object())));
    }
}
