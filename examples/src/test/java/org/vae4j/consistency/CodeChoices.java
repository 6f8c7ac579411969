package org.vae4j.consistency;

/**
 * VQ-VAE's nearest-code choices, checked before any number: an argmin is discontinuous, so a
 * backend whose distances differ from the reference's in the last bits may pick another code for
 * a latent vector whose two nearest codes are (almost) equally near, and from then on its loss,
 * gradients and weights legitimately differ. Such a tie-flip is reported as what it is, apart from
 * a real disagreement (a backend choosing a code that is clearly farther).
 */
final class CodeChoices {

    /**
     * Two codes whose squared distances differ by less than this fraction of the terms the
     * distance is computed from ({@code |z|² + |e|²}) are a near-tie: float32 distances computed
     * as {@code |z|² − 2 z·e + |e|²} carry rounding errors of a few units of 6e-8 of those terms,
     * and 1e-5 is over a hundred of them.
     */
    static final double NEAR_TIE = 1e-5;

    private CodeChoices() {
    }

    /**
     * How clearly vector {@code row} of {@code z} is nearest to its best code: the gap between
     * its nearest and second-nearest code's squared distances, computed in double, as a fraction
     * of {@code |z|² + |e_best|²}.
     */
    static double margin(float[] z, float[] codebook, int dim, int row) {
        int k = codebook.length / dim;
        double best = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        int bestCode = -1;
        for (int j = 0; j < k; j++) {
            double d = distance(z, row, codebook, j, dim);
            if (d < best) {
                second = best;
                best = d;
                bestCode = j;
            } else if (d < second) {
                second = d;
            }
        }
        return (second - best) / scale(z, row, codebook, bestCode, dim);
    }

    /** The smallest {@link #margin} over every row of every step of a VQ-VAE trace. */
    static double smallestMargin(TrainingTrace trace, int dim) {
        double smallest = Double.POSITIVE_INFINITY;
        for (int s = 0; s < trace.codes().size(); s++) {
            float[] z = trace.encodings().get(s);
            float[] e = trace.codebooks().get(s);
            for (int row = 0; row < z.length / dim; row++) {
                smallest = Math.min(smallest, margin(z, e, dim, row));
            }
        }
        return smallest;
    }

    /**
     * Null if {@code actual} chose the reference's codes at each of the first {@code steps}
     * steps; else a message about the first vector that chose differently, saying whether it was
     * a near-tie (judged on the reference's encoder output and codebook) or a real disagreement.
     */
    static String firstDisagreement(String what, TrainingTrace reference, TrainingTrace actual,
            int dim, int steps) {
        for (int s = 0; s < Math.min(steps, reference.codes().size()); s++) {
            int[] want = reference.codes().get(s);
            int[] got = actual.codes().get(s);
            for (int row = 0; row < want.length; row++) {
                if (want[row] == got[row]) {
                    continue;
                }
                float[] z = reference.encodings().get(s);
                float[] e = reference.codebooks().get(s);
                double dWant = distance(z, row, e, want[row], dim);
                double dGot = distance(z, row, e, got[row], dim);
                double gap = (dGot - dWant) / scale(z, row, e, want[row], dim);
                String kind = Math.abs(gap) < NEAR_TIE
                        ? "a TIE-FLIP (the two codes are within " + NEAR_TIE + " of each other;"
                                + " choose data or a seed without near-ties)"
                        : "a REAL DISAGREEMENT (the backend's code is clearly farther)";
                return String.format("%s: at step %d latent vector %d chose code %d, the reference"
                                + " code %d; their squared distances are %.9g and %.9g"
                                + " (relative gap %.2e): %s", what, s, row, got[row], want[row],
                        dGot, dWant, gap, kind);
            }
        }
        return null;
    }

    private static double distance(float[] z, int row, float[] codebook, int code, int dim) {
        double d = 0;
        for (int i = 0; i < dim; i++) {
            double diff = (double) z[row * dim + i] - codebook[code * dim + i];
            d += diff * diff;
        }
        return d;
    }

    private static double scale(float[] z, int row, float[] codebook, int code, int dim) {
        double s = 0;
        for (int i = 0; i < dim; i++) {
            s += (double) z[row * dim + i] * z[row * dim + i]
                    + (double) codebook[code * dim + i] * codebook[code * dim + i];
        }
        return Math.max(s, Double.MIN_NORMAL);
    }
}
