package org.vae4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelOptionTest {

    private static final ModelOption LATENT = ModelOption.integer("latent", 20, "width of z")
            .between(1, 65536).withFlag("--latent");
    private static final ModelOption HIDDEN = ModelOption.integers("hidden", List.of(400),
            "widths").between(1, 65536);
    private static final ModelOption LEVEL = ModelOption.number("level", 0.3, "fraction")
            .atLeast(0).below(1);
    private static final ModelOption BETA = ModelOption.number("beta", 4.0, "weight").atLeast(0);
    private static final ModelOption VARIANCE = ModelOption.number("variance", 1.0, "variance")
            .above(0).withWords("learned");
    private static final ModelOption NOISE = ModelOption.choice("noise", "mask", "kind",
            "mask", "gaussian", "none");
    private static final ModelOption EMA = ModelOption.bool("ema", false, "ema");
    private static final ModelOption STAGE_CHANNELS = ModelOption.integer("channels", 32, "c")
            .between(1, 4096);
    private static final ModelOption CONV = ModelOption.object("conv", "conv stack", List.of(
            ModelOption.integer("kernel", 4, "k").between(1, 31),
            ModelOption.objects("stages", "per stage", List.of(STAGE_CHANNELS),
                    List.of(Map.of("channels", 32), Map.of("channels", 64)))));
    private static final List<ModelOption> ALL =
            List.of(LATENT, HIDDEN, LEVEL, BETA, VARIANCE, NOISE, EMA, CONV);

    private static String error(Map<String, ?> values) {
        return assertThrows(IllegalArgumentException.class,
                () -> ModelOption.check("m", ALL, ModelConfig.of(values))).getMessage();
    }

    @Test
    void valuesOutsideTheRangeAreRefusedNamingTheSettingTheValueAndTheRange() {
        assertEquals("m: setting 'latent' must be a positive whole number, got 0",
                error(Map.of("latent", 0)));
        assertEquals("m: setting 'latent' must be a whole number <= 65536, got 70000",
                error(Map.of("latent", 70000)));
        assertEquals("m: setting 'level' must be a number in [0, 1), got 1.0",
                error(Map.of("level", 1.0)));
        assertEquals("m: setting 'beta' must be a number >= 0, got -1",
                error(Map.of("beta", -1)));
        assertEquals("m: setting 'variance' must be a positive number or 'learned', got -2.0",
                error(Map.of("variance", -2.0)));
        assertEquals("m: setting 'hidden' must be a list of whole numbers, each [1, 65536], got"
                + " [400, 0]", error(Map.of("hidden", List.of(400, 0))));
        assertEquals("m: setting 'noise' must be one of mask, gaussian, none, got 'salt'",
                error(Map.of("noise", "salt")));
        assertEquals("m: setting 'latent' must be a whole number, got 'twenty'",
                error(Map.of("latent", "twenty")));
        assertEquals("m: setting 'latent' must be a whole number, got 2.5",
                error(Map.of("latent", 2.5)));
        assertEquals("m: setting 'ema' must be true or false, got 1", error(Map.of("ema", 1)));
    }

    @Test
    void unknownKeysAreRefusedNamingTheValidOnesAtEveryLevel() {
        assertEquals("model 'm' has no setting 'latnet'; its settings are: beta, conv, ema,"
                + " hidden, latent, level, noise, variance", error(Map.of("latnet", 3)));
        assertEquals("m: setting 'conv.kernal' does not exist; the settings of 'conv' are:"
                + " kernel, stages", error(Map.of("conv", Map.of("kernal", 3))));
        assertEquals("m: setting 'conv.stages[1].channels' must be a whole number <= 4096, got"
                + " 5000", error(Map.of("conv", Map.of("stages",
                        List.of(Map.of("channels", 8), Map.of("channels", 5000))))));
    }

    @Test
    void checkedValuesTakeTheirCanonicalType() {
        ModelConfig c = ModelOption.check("m", ALL, ModelConfig.of(Map.of("latent", 8.0,
                "hidden", "512, 256", "beta", 4, "ema", "true", "variance", "learned")));
        assertEquals(8, c.get("latent"));
        assertEquals(List.of(512, 256), c.get("hidden"));
        assertInstanceOf(Double.class, c.get("beta"));
        assertEquals(true, c.get("ema"));
        assertEquals("learned", c.get("variance"));
    }

    @Test
    void resolveFillsEveryDefaultAndMergesPartialNestedSettings() {
        ModelConfig full = ModelOption.resolve("m", ALL,
                ModelConfig.of(Map.of("conv", Map.of("kernel", 3))));
        assertEquals(20, full.getInt("latent", 0));
        ModelConfig conv = full.getConfig("conv");
        assertEquals(3, conv.getInt("kernel", 0));
        assertEquals(List.of(32, 64), conv.getConfigs("stages").stream()
                .map(s -> s.getInt("channels", 0)).toList());
        assertEquals(full, ModelConfig.fromJson(full.toJson()), "round trip");
    }

    @Test
    void textFromTheCommandLineIsParsedInTheOptionsType() {
        assertEquals(8, LATENT.parse("8"));
        assertEquals(0.5, LEVEL.parse("0.5"));
        assertEquals("learned", VARIANCE.parse("learned"));
        assertEquals(true, EMA.parse("TRUE"));
        assertEquals(List.of(512, 256), HIDDEN.check("m", HIDDEN.parse("512,256")));
        Object stages = CONV.fields().get(1).parse("[{\"channels\": 16}]");
        assertEquals(List.of(ModelConfig.of(Map.of("channels", 16))), stages);
    }

    @Test
    void anOptionDescribesItsRangeAndFlag() {
        assertEquals("[1, 65536]", LATENT.range());
        assertEquals("[0, 1)", LEVEL.range());
        assertEquals("> 0 or learned", VARIANCE.range());
        assertEquals("mask|gaussian|none", NOISE.range());
        assertEquals("", EMA.range());
        assertEquals("--latent", LATENT.flag());
        assertNull(BETA.flag());
        assertEquals(ModelOption.Type.INT, new ModelOption("n", 3, "untyped").type());
        assertEquals(ModelOption.Type.INTS, new ModelOption("h", List.of(1), "untyped").type());
        assertEquals(ModelOption.Type.NUMBER, new ModelOption("x", 0.5, "untyped").type());
        assertEquals(64, LATENT.withDefault(64).defaultValue());
        assertThrows(IllegalArgumentException.class, () -> LATENT.withDefault(0));
        assertThrows(IllegalArgumentException.class, () -> LATENT.withFlag("latent"));
    }
}
