package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vae4j.model.Decoder;
import org.vae4j.model.Encoder;
import org.vae4j.model.Generator;
import org.vae4j.model.LikelihoodEstimator;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import org.vae4j.model.Models;
import org.vae4j.model.Reconstructor;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;

/** The built-in models are found by name, declare their settings, and reject bad ones. */
class ModelsRegistryTest {

    private static final List<String> NAMES =
            List.of("ae", "beta-vae", "cvae", "dae", "vae", "vq-vae", "wae", "info-vae", "iwae",
                    "vamp-vae");

    private final Backend be = Backends.get("ejml");

    private Model create(String name, Map<String, ?> settings) {
        return Models.create(name, ModelConfig.of(settings), be, 1);
    }

    @Test
    void theRegistryListsEveryBuiltInModel() {
        Set<String> found = new TreeSet<>();
        Models.list().forEach(p -> found.add(p.name()));
        assertTrue(found.containsAll(NAMES), "found " + found);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ae", "dae", "vae", "cvae", "beta-vae", "vq-vae", "wae", "info-vae",
            "iwae", "vamp-vae"})
    void modelsCreateBuildsEachByNameWithItsDefaults(String name) {
        try (Model m = create(name, Map.of())) {
            assertEquals(name, m.typeName());
            assertEquals(784, m.inputSize());
            assertTrue(m.parameterCount() > 0);
            ModelProvider p = Models.provider(name);
            for (ModelOption o : p.options()) {
                assertTrue(m.config().has(o.name()), name + " stores its setting " + o.name());
            }
            assertEquals(p.options().size(), m.config().asMap().size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ae", "dae", "vae", "cvae", "beta-vae", "vq-vae", "wae", "info-vae",
            "iwae", "vamp-vae"})
    void everyOptionHasADefaultAndAOneLineDescription(String name) {
        ModelProvider p = Models.provider(name);
        assertFalse(p.description().isBlank());
        for (ModelOption o : p.options()) {
            assertNotNull(o.defaultValue(), name + "." + o.name());
            assertFalse(o.description().isBlank(), name + "." + o.name());
            assertFalse(o.description().contains("\n"), name + "." + o.name());
        }
    }

    @Test
    void anUnknownNameIsAnErrorListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> create("vqvae", Map.of()));
        assertTrue(e.getMessage().contains("unknown model 'vqvae'"), e.getMessage());
        for (String n : NAMES) {
            assertTrue(e.getMessage().contains(n), e.getMessage());
        }
    }

    @Test
    void anUnknownSettingIsAnErrorListingTheSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> create("vae", Map.of("latnet", 8)));
        assertTrue(e.getMessage().contains("'latnet'"), e.getMessage());
        assertTrue(e.getMessage().contains("latent"), e.getMessage());
    }

    @Test
    void eachModelImplementsItsCapabilities() {
        try (Model ae = create("ae", Map.of()); Model vae = create("vae", Map.of());
             Model vq = create("vq-vae", Map.of())) {
            assertInstanceOf(Encoder.class, ae);
            assertInstanceOf(Decoder.class, ae);
            assertInstanceOf(Reconstructor.class, ae);
            assertFalse(ae instanceof Generator);
            assertInstanceOf(Generator.class, vae);
            assertInstanceOf(LikelihoodEstimator.class, vae);
            assertInstanceOf(Generator.class, vq);
            assertInstanceOf(Reconstructor.class, vq);
        }
    }

    @Test
    void theStoredConfigRebuildsTheSameModel() {
        try (Model a = create("beta-vae", Map.of("latent", 5, "hidden", List.of(32, 16)));
             Model b = Models.create("beta-vae", ModelConfig.fromJson(a.config().toJson()), be,
                     1)) {
            assertEquals(a.config(), b.config());
            assertEquals(a.parameters().keySet(), b.parameters().keySet());
            a.parameters().forEach((k, p) -> org.junit.jupiter.api.Assertions.assertArrayEquals(
                    p.toArray(), b.parameters().get(k).toArray(), 0f, k));
        }
    }

    @Test
    void hiddenSizesArchitectureIsConfiguration() {
        try (Model m = create("vae", Map.of("hidden", List.of(64, 32), "latent", 3))) {
            Map<String, org.vae4j.nn.Parameter> p = m.parameters();
            assertEquals(org.vae4j.tensor.Shape.of(784, 64), p.get("encoder.0.weight").shape());
            assertEquals(org.vae4j.tensor.Shape.of(64, 32), p.get("encoder.2.weight").shape());
            assertEquals(org.vae4j.tensor.Shape.of(32, 6), p.get("encoder.4.weight").shape());
            assertEquals(org.vae4j.tensor.Shape.of(3, 32), p.get("decoder.0.weight").shape());
            assertEquals(org.vae4j.tensor.Shape.of(64, 784), p.get("decoder.4.weight").shape());
        }
    }

    // ---------------------------------------------------------------- invalid values

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void aNegativeLatentSizeIsAnErrorNamingTheSetting() {
        String m = error(() -> create("vae", Map.of("latent", -3)));
        assertEquals("vae: setting 'latent' must be a positive whole number, got -3", m);
    }

    @Test
    void aDropRateOutsideTheUnitIntervalIsAnErrorNamingTheSetting() {
        String m = error(() -> create("dae", Map.of("noise", "mask", "noise-level", 1.0)));
        assertTrue(m.contains("'noise-level'") && m.contains("[0.0, 1.0)"), m);
        m = error(() -> create("dae", Map.of("noise-level", -0.1)));
        assertTrue(m.contains("'noise-level'"), m);
    }

    @Test
    void aNegativeNoiseDeviationIsAnError() {
        String m = error(() -> create("dae", Map.of("noise", "gaussian", "noise-level", -1)));
        assertTrue(m.contains("'noise-level'") && m.contains(">= 0"), m);
    }

    @Test
    void unknownWordsInChoiceSettingsAreErrorsListingTheChoices() {
        assertEquals("dae: setting 'noise' must be one of mask, gaussian, none, got 'salt'",
                error(() -> create("dae", Map.of("noise", "salt"))));
        assertTrue(error(() -> create("vae", Map.of("likelihood", "poisson")))
                .contains("bernoulli, gaussian"));
        assertTrue(error(() -> create("ae", Map.of("activation", "swish")))
                .contains("setting 'activation'"));
        assertTrue(error(() -> create("beta-vae", Map.of("objective", "annealed")))
                .contains("beta, capacity"));
    }

    @Test
    void otherInvalidValuesNameTheirSetting() {
        assertTrue(error(() -> create("ae", Map.of("hidden", List.of(400, 0))))
                .contains("'hidden'"));
        assertTrue(error(() -> create("cvae", Map.of("classes", 0))).contains("'classes'"));
        assertTrue(error(() -> create("vae", Map.of("likelihood", "gaussian", "variance", -1)))
                .contains("'variance'"));
        assertTrue(error(() -> create("beta-vae", Map.of("beta", -1))).contains("'beta'"));
        assertTrue(error(() -> create("vq-vae", Map.of("codebook-size", 0)))
                .contains("'codebook-size'"));
        assertTrue(error(() -> create("vq-vae", Map.of("decay", 1.0))).contains("'decay'"));
        assertTrue(error(() -> create("vq-vae", Map.of("commitment", -0.5)))
                .contains("'commitment'"));
        assertTrue(error(() -> create("vq-vae", Map.of("dead-code-steps", -1)))
                .contains("'dead-code-steps'"));
        assertTrue(error(() -> create("vae", Map.of("latent", "twenty"))).contains("'latent'"));
    }
}
