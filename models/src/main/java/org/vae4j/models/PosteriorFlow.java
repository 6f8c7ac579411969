package org.vae4j.models;

import java.util.ArrayList;
import java.util.List;
import org.vae4j.autodiff.Variable;
import org.vae4j.model.ModelOption;
import org.vae4j.nn.Module;
import org.vae4j.nn.Parameter;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;

/**
 * A normalizing flow on the VAE's posterior sample: {@code z_K = f_K ∘ … ∘ f_1(z_0)} with
 * {@code z_0 ~ q_0(z|x) = N(μ, σ²)}, each step returning its {@code log|det ∂f_k/∂z|} per example.
 * The steps' parameters are ordinary model parameters ({@code flow.0.u}, …), not amortised.
 *
 * <ul>
 *   <li>planar (Rezende and Mohamed, 2015): {@code f(z) = z + û tanh(wᵀz + b)},
 *       {@code û = u + (m(wᵀu) − wᵀu) w / |w|²}, {@code m(a) = −1 + softplus(a)} (keeps f
 *       invertible), {@code log|det| = log|1 + (1 − tanh²(wᵀz + b)) ûᵀw|};</li>
 *   <li>radial: {@code f(z) = z + β h(α, r)(z − z₀)}, {@code h = 1/(α + r)}, {@code r = |z − z₀|},
 *       {@code α = softplus(α')}, {@code β = −α + softplus(β')},
 *       {@code log|det| = (D − 1) log(1 + βh) + log(1 + βh − βh² r)};</li>
 *   <li>iaf (Kingma et al., 2016): {@code [m, s] = MADE(z)}, {@code σ = sigmoid(s + 2)},
 *       {@code z ← σ ⊙ z + (1 − σ) ⊙ m}, {@code log|det| = Σ log σ}; the autoregressive order is
 *       reversed between steps. With {@code iaf-context} C ≥ 1 the encoder emits a context
 *       {@code h} of width C beside μ and log σ², and each step's hidden layer reads it
 *       unmasked: {@code MADE(z, h) = W₂ relu((W₁ ⊙ M₁) z + W_h h + b₁) + b₂} (h does not depend
 *       on z, so the Jacobian stays triangular).</li>
 * </ul>
 *
 * <p>{@code flow none} builds no module and draws nothing from the generator, so a model without
 * a flow has the parameters and numbers it had before flows existed.
 */
final class PosteriorFlow extends Module {

    /** The setting that chooses the flow. */
    static final ModelOption FLOW = ModelOption.choice("flow", "none",
            "normalizing flow on the posterior sample: none, planar, radial or iaf",
            "none", "planar", "radial", "iaf").withFlag("--flow");
    /** The number of flow steps. */
    static final ModelOption FLOW_LENGTH = ModelOption.integer("flow-length", 4,
            "K: steps of the flow (planar, radial, iaf), at least 1").between(1, 1024)
            .withFlag("--flow-length");
    /** The MADE hidden width of each IAF step. */
    static final ModelOption IAF_HIDDEN = ModelOption.integer("iaf-hidden", 64,
            "iaf: width of each step's masked hidden layer").between(1, Options.MAX_WIDTH);

    /** The width of the encoder's context h that each IAF step reads (0: none). */
    static final ModelOption IAF_CONTEXT = ModelOption.integer("iaf-context", 0,
            "iaf: width C of the encoder's context h each step reads, 0 for none")
            .between(0, Options.MAX_WIDTH);

    /** The flow settings the Gaussian-posterior models add. */
    static final List<ModelOption> OPTIONS = List.of(FLOW, FLOW_LENGTH, IAF_HIDDEN, IAF_CONTEXT);

    /** A flow's settings: its kind ({@code none} for no flow), K steps, IAF width and context. */
    record Spec(String kind, int length, int hidden, int context) {

        static final Spec NONE = new Spec("none", 0, 0, 0);

        /** The flow the settings describe; every setting is checked, also for {@code none}. */
        static Spec of(Settings s) {
            String kind = s.choice(FLOW, "none", "planar", "radial", "iaf");
            int length = s.positiveInt(FLOW_LENGTH);
            int hidden = s.positiveInt(IAF_HIDDEN);
            int context = s.nonNegativeInt(IAF_CONTEXT);
            if (context > 0 && !kind.equals("iaf")) {
                throw new IllegalArgumentException(s.model() + ": setting 'iaf-context' applies"
                        + " to flow iaf only, got flow " + kind + " with iaf-context " + context
                        + " (use 0)");
            }
            return kind.equals("none") ? NONE : new Spec(kind, length, hidden, context);
        }

        boolean isNone() {
            return kind.equals("none");
        }

        /** The extra encoder outputs the flow reads: C for an IAF with context, else 0. */
        int contextSize() {
            return kind.equals("iaf") ? context : 0;
        }
    }

    /**
     * The IAF gate's offset: {@code σ = sigmoid(s + 2)}, so that before training the steps
     * "update z only slightly" (Kingma et al., 2016, s "close to +1 or +2").
     */
    static final float GATE_OFFSET = 2f;
    /** The half-width of the IAF output layer's uniform initial weights. */
    private static final double OUTPUT_INIT = 0.01;

    /** z after a step and its log-determinant per example {@code (n)}. */
    record Step(Variable z, Variable logDet) {
    }

    private final String kind;
    private final int latent;
    private final int length;
    private final int context;
    private final List<Parameter[]> steps = new ArrayList<>();

    private PosteriorFlow(Spec spec, int latent, Backend be, Rng rng) {
        this.kind = spec.kind();
        this.latent = latent;
        this.length = spec.length();
        this.context = spec.contextSize();
        int hidden = spec.hidden();
        double bound = 1.0 / Math.sqrt(latent);
        for (int k = 0; k < length; k++) {
            String p = k + "-";
            switch (kind) {
                case "planar" -> steps.add(new Parameter[] {
                    addParameter(p + "u", rng.uniform(be, Shape.of(1, latent), -bound, bound)),
                    addParameter(p + "w", rng.uniform(be, Shape.of(latent, 1), -bound, bound)),
                    addParameter(p + "b", rng.uniform(be, Shape.of(1), -bound, bound))});
                case "radial" -> steps.add(new Parameter[] {
                    addParameter(p + "z0", rng.uniform(be, Shape.of(1, latent), -bound, bound)),
                    addParameter(p + "alpha", rng.uniform(be, Shape.of(1), -bound, bound)),
                    addParameter(p + "beta", rng.uniform(be, Shape.of(1), -bound, bound))});
                default -> {
                    // the output layer starts near 0, so each step starts as z ← σ(2) z
                    double hb = OUTPUT_INIT;
                    steps.add(new Parameter[] {
                        addParameter(p + "w1", rng.uniform(be, Shape.of(latent, hidden), -bound,
                                bound)),
                        addParameter(p + "b1", rng.uniform(be, Shape.of(hidden), -bound, bound)),
                        addParameter(p + "w2", rng.uniform(be, Shape.of(hidden, 2 * latent), -hb,
                                hb)),
                        addParameter(p + "b2", rng.uniform(be, Shape.of(2 * latent), -hb, hb)),
                        addBuffer(p + "mask1", be.fromArray(hiddenMask(latent, hidden, k % 2 == 1),
                                latent, hidden)),
                        addBuffer(p + "mask2", be.fromArray(outputMask(latent, hidden,
                                k % 2 == 1), hidden, 2 * latent)),
                        context == 0 ? null : addParameter(p + "wh", rng.uniform(be,
                                Shape.of(context, hidden), -1.0 / Math.sqrt(context),
                                1.0 / Math.sqrt(context)))});
                }
            }
        }
    }

    /** The flow {@code spec} describes on codes of width {@code latent}, or null for none. */
    static PosteriorFlow of(Spec spec, int latent, Backend be, Rng rng) {
        return spec.isNone() ? null : new PosteriorFlow(spec, latent, be, rng);
    }

    /** The width of the context h each step reads (0: none). */
    int contextSize() {
        return context;
    }

    /** The degree (autoregressive position, 1…D) of input i; reversed on odd steps. */
    private static int degree(int i, int d, boolean reversed) {
        return reversed ? d - i : i + 1;
    }

    /** MADE's input-to-hidden mask: hidden unit k (degree k mod D) sees inputs of degree <= it. */
    static float[] hiddenMask(int d, int hidden, boolean reversed) {
        float[] m = new float[d * hidden];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < hidden; k++) {
                m[i * hidden + k] = k % d >= degree(i, d, reversed) ? 1f : 0f;
            }
        }
        return m;
    }

    /** Hidden-to-output mask of [m, s]: output j sees hidden units of degree below its own. */
    static float[] outputMask(int d, int hidden, boolean reversed) {
        float[] m = new float[hidden * 2 * d];
        for (int k = 0; k < hidden; k++) {
            for (int j = 0; j < 2 * d; j++) {
                m[k * 2 * d + j] = degree(j % d, d, reversed) > k % d ? 1f : 0f;
            }
        }
        return m;
    }

    /**
     * {@code z_K} and {@code Σ_k log|det J_k|} per example; {@code h} is the encoder's context
     * {@code (n x C)} for an IAF with context, else null.
     */
    Step forward(Variable z0, Variable h) {
        if ((h == null) != (context == 0)) {
            throw new IllegalArgumentException(this + " reads a context of width " + context
                    + ", got " + (h == null ? "none" : h.shape()));
        }
        Variable z = z0;
        Variable logDet = null;
        for (Parameter[] p : steps) {
            Step s = switch (kind) {
                case "planar" -> planar(z, p);
                case "radial" -> radial(z, p);
                default -> iaf(z, h, p);
            };
            z = s.z();
            logDet = logDet == null ? s.logDet() : logDet.add(s.logDet());
        }
        return new Step(z, logDet);
    }

    /** One planar step; {@code p = [u (1 x D), w (D x 1), b (1)]}. */
    static Step planar(Variable z, Variable[] p) {
        Variable u = p[0];
        Variable w = p[1];
        Variable wu = u.matmul(w);                                   // (1 x 1) wᵀu
        Variable wNorm2 = w.square().sum(true, 0);                   // (1 x 1) |w|²
        // û = u + (m(wᵀu) − wᵀu) wᵀ / |w|²,  m(a) = −1 + softplus(a)
        Variable uHat = u.add(wu.softplus().sub(1f).sub(wu).div(wNorm2).mul(w.transpose()));
        Variable t = z.matmul(w).add(p[2]).tanh();                   // (n x 1)
        Variable f = z.add(t.mul(uHat));
        Variable uw = uHat.matmul(w);                                // (1 x 1) ûᵀw
        Variable det = t.square().neg().add(1f).mul(uw).add(1f);
        Variable logDet = det.abs().add(1e-8f).log().reshape(z.shape().dim(0));
        return new Step(f, logDet);
    }

    /** One radial step; {@code p = [z₀ (1 x D), α' (1), β' (1)]}. */
    static Step radial(Variable z, Variable[] p) {
        int latent = z.shape().dim(1);
        Variable alpha = p[1].softplus();
        Variable beta = p[2].softplus().sub(alpha);
        Variable diff = z.sub(p[0]);
        Variable r = diff.square().sum(true, 1).add(1e-12f).sqrt();  // (n x 1)
        Variable h = alpha.add(r).reciprocal();
        Variable betaH = h.mul(beta);
        Variable f = z.add(diff.mul(betaH));
        // log|det| = (D − 1) log(1 + βh) + log(1 + βh − βh² r)
        Variable logDet = betaH.add(1f).log().mul(latent - 1)
                .add(betaH.add(1f).sub(betaH.mul(h).mul(r)).log());
        return new Step(f, logDet.reshape(z.shape().dim(0)));
    }

    /**
     * One IAF step; {@code p = [W₁ (D x H), b₁ (H), W₂ (H x 2D), b₂ (2D), M₁, M₂, W_h (C x H)]}
     * ({@code W_h} only with a context h).
     */
    static Step iaf(Variable z, Variable h, Variable[] p) {
        int latent = z.shape().dim(1);
        Variable pre = Variable.linear(z, p[0].mul(p[4]), p[1]);
        Variable hidden = (h == null ? pre : pre.add(h.matmul(p[6]))).relu();
        Variable ms = Variable.linear(hidden, p[2].mul(p[5]), p[3]);
        Variable m = ms.slice(1, 0, latent);
        Variable s = ms.slice(1, latent, 2 * latent).add(GATE_OFFSET);
        Variable sigma = s.sigmoid();
        // z ← σ ⊙ z + (1 − σ) ⊙ m, the numerically stable gated update
        Variable f = sigma.mul(z).add(sigma.neg().add(1f).mul(m));
        Variable logDet = s.logSigmoid().sum(false, 1);
        return new Step(f, logDet);
    }

    @Override
    public String toString() {
        return kind + " flow of length " + length + (context > 0 ? ", context " + context : "");
    }
}
