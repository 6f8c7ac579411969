package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.TensorScope;

class PosteriorFlowTest {

    private final Backend be = new ReferenceBackend();

    private PosteriorFlow flow(String kind, int latent) {
        Settings s = Settings.of("vae", PosteriorFlow.OPTIONS,
                ModelConfig.of(Map.of("flow", kind, "flow-length", 3, "iaf-hidden", 8)));
        return PosteriorFlow.of(PosteriorFlow.Spec.of(s), latent, be, new Rng(3));
    }

    private float[] apply(PosteriorFlow f, float[] z) {
        return f.forward(Variable.constant(be.fromArray(z, 1, z.length)), null).z().toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"planar", "radial", "iaf"})
    void logDetMatchesAFiniteDifferenceJacobianDeterminant(String kind) {
        int d = 3;
        try (PosteriorFlow f = flow(kind, d); TensorScope scope = be.newScope();
                NoGrad ignored = NoGrad.enter()) {
            float[] z = {0.3f, -0.7f, 0.5f};
            double logDet = f.forward(Variable.constant(be.fromArray(z, 1, d)), null).logDet()
                    .toArray()[0];
            double h = 1e-2;
            double[][] jac = new double[d][d];
            for (int j = 0; j < d; j++) {
                float[] plus = z.clone();
                float[] minus = z.clone();
                plus[j] += (float) h;
                minus[j] -= (float) h;
                float[] fp = apply(f, plus);
                float[] fm = apply(f, minus);
                for (int i = 0; i < d; i++) {
                    jac[i][j] = (fp[i] - fm[i]) / (2 * h);
                }
            }
            double det = jac[0][0] * (jac[1][1] * jac[2][2] - jac[1][2] * jac[2][1])
                    - jac[0][1] * (jac[1][0] * jac[2][2] - jac[1][2] * jac[2][0])
                    + jac[0][2] * (jac[1][0] * jac[2][1] - jac[1][1] * jac[2][0]);
            System.out.printf("%s: log|det| %.5f, finite differences %.5f%n", kind, logDet,
                    Math.log(Math.abs(det)));
            assertEquals(Math.log(Math.abs(det)), logDet, 2e-2, kind);
        }
    }

    @Test
    void noFlowAddsNoParameters() {
        try (var plain = Models.create("vae", ModelConfig.of(Map.of("hidden", java.util.List.of(8),
                "latent", 2)), be, 1)) {
            assertTrue(plain.parameters().keySet().stream().noneMatch(k -> k.startsWith("flow")));
        }
    }

    @Test
    void badFlowSettingsAreRefusedNamingTheSetting() {
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create("vae",
                ModelConfig.of(Map.of("flow", "planar", "flow-length", 0)), be, 1));
        assertTrue(e.getMessage().contains("'flow-length'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.create("vae",
                ModelConfig.of(Map.of("flow", "sylvester")), be, 1));
        assertTrue(e.getMessage().contains("'flow'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.create("ae",
                ModelConfig.of(Map.of("flow", "planar")), be, 1));
        assertTrue(e.getMessage().contains("'flow'"), e.getMessage());
    }
}
