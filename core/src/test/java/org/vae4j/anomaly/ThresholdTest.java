package org.vae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.random.Rng;

/** Threshold calibration hits its quantile; the stored threshold round-trips. */
class ThresholdTest {

    @TempDir
    Path dir;

    @Test
    void theQuantileInterpolatesLinearlyAsNumPyDoes() {
        // numpy.quantile([1, 2, 3, 4], 0.5) = 2.5; 0.9 -> 3.7; 0 and 1 are min and max
        float[] s = {4f, 1f, 3f, 2f};
        assertEquals(2.5, Threshold.calibrate("x", s, 0.5, "d", 1).value(), 1e-12);
        assertEquals(3.7, Threshold.calibrate("x", s, 0.9, "d", 1).value(), 1e-6);
        assertEquals(1.0, Threshold.calibrate("x", s, 0, "d", 1).value(), 1e-12);
        assertEquals(4.0, Threshold.calibrate("x", s, 1, "d", 1).value(), 1e-12);
    }

    @Test
    void aContaminationOfPFlagsASharePOfTheNormalScores() {
        Rng rng = new Rng(3);
        float[] normal = rng.normal(10_001, 5, 2);
        for (double p : new double[] {0.01, 0.05, 0.1, 0.3}) {
            Threshold t = Threshold.calibrate("elbo", normal,
                    Threshold.quantileForContamination(p), "normal", 10);
            int flagged = 0;
            for (float v : normal) {
                if (t.flags(v)) {
                    flagged++;
                }
            }
            // 10,001 distinct values: the (1 − p) quantile is an order statistic, so exactly
            // p · 10,000 of them lie above it
            assertEquals(Math.round(p * 10_000), flagged, "contamination " + p);
            assertEquals(10_001, t.count());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Threshold.quantileForContamination(1.5));
        assertTrue(e.getMessage().contains("strictly between 0 and 1"), e.getMessage());
    }

    @Test
    void aSavedThresholdLoadsBackAndAMissingOneSaysHowToCalibrate() throws Exception {
        Threshold t = Threshold.calibrate("iw-nll", new float[] {1, 2, 3}, 0.95, "mnist", 50);
        t.save(dir);
        assertEquals(t, Threshold.load(dir));
        assertTrue(Files.readString(dir.resolve(Threshold.FILE)).contains("\"quantile\" : 0.95"));
        Path empty = Files.createDirectory(dir.resolve("run"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Threshold.load(empty));
        assertTrue(e.getMessage().contains("no calibrated threshold")
                && e.getMessage().contains("vae4j calibrate"), e.getMessage());
    }

    @Test
    void calibrationRefusesNoDataAndNonFiniteScores() {
        assertThrows(IllegalArgumentException.class,
                () -> Threshold.calibrate("x", new float[0], 0.9, "d", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Threshold.calibrate("x", new float[] {1, Float.NaN}, 0.9, "d", 1));
        assertTrue(e.getMessage().contains("example 1"), e.getMessage());
    }
}
