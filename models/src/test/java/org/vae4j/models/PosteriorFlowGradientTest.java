package org.vae4j.models;

import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.testkit.GradientChecks;

/**
 * Core's finite-difference gradient checks of each flow step: its output {@code f(z)} and its
 * {@code log|det ∂f/∂z|} against central differences in every input (z, the step's parameters,
 * the IAF's context h), on the float64 reference backend.
 */
class PosteriorFlowGradientTest {

    /** Core's checker with the flow steps as its cases. */
    private static final class FlowChecks extends GradientChecks {

        private final Backend backend = new ReferenceBackend();

        @Override
        protected Backend backend() {
            return backend;
        }

        void run(String kind, boolean logDet) {
            int n = 3;
            int d = 3;
            int hidden = 5;
            int context = 2;
            Function<PosteriorFlow.Step, Variable> part = s -> logDet ? s.logDet() : s.z();
            String what = kind + (logDet ? " log|det J|" : " f(z)");
            switch (kind) {
                case "planar" -> check(composite(what, logDet ? Set.of("tanh", "softplus", "abs", "log")
                        : Set.of("tanh", "softplus", "matmul"),
                        v -> part.apply(PosteriorFlow.planar(v[0], new Variable[] {v[1], v[2],
                            v[3]})),
                        uniformInput(-1, 1, n, d), uniformInput(-1, 1, 1, d),
                        uniformInput(-1, 1, d, 1), uniformInput(-1, 1, 1)));
                case "radial" -> check(composite(what, Set.of("softplus", "sqrt", "reciprocal"),
                        v -> part.apply(PosteriorFlow.radial(v[0], new Variable[] {v[1], v[2],
                            v[3]})),
                        uniformInput(-1, 1, n, d), uniformInput(-1, 1, 1, d),
                        uniformInput(-1, 1, 1), uniformInput(-1, 1, 1)));
                default -> {
                    // the masks are the step's own buffers; the check perturbs only the rest.
                    // |z·(W₁ ⊙ M₁) + h·W_h| <= 0.5 < b₁: no hidden unit near relu's kink
                    float[] m1 = PosteriorFlow.hiddenMask(d, hidden, true);
                    float[] m2 = PosteriorFlow.outputMask(d, hidden, true);
                    check(composite(what, Set.of("linear", "relu", "matmul", "slice",
                            logDet ? "logSigmoid" : "sigmoid"),
                            v -> part.apply(PosteriorFlow.iaf(v[0], v[1], new Variable[] {v[2],
                                v[3], v[4], v[5], constant(m1, d, hidden),
                                constant(m2, hidden, 2 * d), v[6]})),
                            uniformInput(-1, 1, n, d), uniformInput(-1, 1, n, context),
                            uniformInput(-0.1, 0.1, d, hidden), uniformInput(0.6, 1, hidden),
                            uniformInput(-1, 1, hidden, 2 * d), uniformInput(-1, 1, 2 * d),
                            uniformInput(-0.1, 0.1, context, hidden)));
                }
            }
        }

        private Variable constant(float[] data, int... dims) {
            return Variable.constant(backend.fromArray(data, dims));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"planar", "radial", "iaf"})
    void eachStepsLogDetGradientsMatchFiniteDifferences(String kind) {
        new FlowChecks().run(kind, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"planar", "radial", "iaf"})
    void eachStepsOutputGradientsMatchFiniteDifferences(String kind) {
        new FlowChecks().run(kind, false);
    }
}
