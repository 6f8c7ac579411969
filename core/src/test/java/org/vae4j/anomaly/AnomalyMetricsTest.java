package org.vae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ROC AUC, average precision and the threshold metrics against hand computations. */
class AnomalyMetricsTest {

    // scikit-learn's documented example: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]
    // roc_auc_score = 0.75, average_precision_score = 0.8333...
    private static final float[] SK_SCORES = {0.1f, 0.4f, 0.35f, 0.8f};
    private static final boolean[] SK_LABELS = {false, false, true, true};

    @Test
    void rocAucAndAveragePrecisionMatchScikitLearnsDocumentedExample() {
        assertEquals(0.75, AnomalyMetrics.rocAuc(SK_SCORES, SK_LABELS), 1e-12);
        assertEquals(5.0 / 6, AnomalyMetrics.averagePrecision(SK_SCORES, SK_LABELS), 1e-12);
    }

    @Test
    void tiesCountOneHalfInTheAucAndEnterTogetherInTheAveragePrecision() {
        // anomalies: 0.5, 0.5, 0.9; normals: 0.5, 0.2, 0.1
        float[] s = {0.5f, 0.5f, 0.9f, 0.5f, 0.2f, 0.1f};
        boolean[] y = {true, true, true, false, false, false};
        // pairs (anomaly, normal): 9; 0.9 beats all 3; each 0.5 anomaly beats 0.2 and 0.1
        // and ties 0.5: 2 + 0.5 each -> (3 + 2.5 + 2.5) / 9
        assertEquals(8.0 / 9, AnomalyMetrics.rocAuc(s, y), 1e-12);
        // thresholds from the top: 0.9 -> P 1, R 1/3; 0.5 (three tied) -> P 3/4, R 1
        // AP = 1/3 * 1 + 2/3 * 3/4 = 5/6
        assertEquals(5.0 / 6, AnomalyMetrics.averagePrecision(s, y), 1e-12);
        // all scores equal: AUC one half, AP the share of anomalies
        float[] flat = {1f, 1f, 1f, 1f};
        boolean[] y2 = {true, false, false, false};
        assertEquals(0.5, AnomalyMetrics.rocAuc(flat, y2), 1e-12);
        assertEquals(0.25, AnomalyMetrics.averagePrecision(flat, y2), 1e-12);
    }

    @Test
    void perfectAndReversedRankings() {
        float[] s = {0.1f, 0.2f, 0.8f, 0.9f};
        boolean[] y = {false, false, true, true};
        assertEquals(1.0, AnomalyMetrics.rocAuc(s, y), 1e-12);
        assertEquals(1.0, AnomalyMetrics.averagePrecision(s, y), 1e-12);
        boolean[] reversed = {true, true, false, false};
        assertEquals(0.0, AnomalyMetrics.rocAuc(s, reversed), 1e-12);
        // P at the two thresholds that reach the anomalies: 1/3 and 2/4 -> (1/3 + 1/2) / 2
        assertEquals(5.0 / 12, AnomalyMetrics.averagePrecision(s, reversed), 1e-12);
    }

    @Test
    void rocCurveRunsFromTheOriginToOneOnePerDistinctScore() {
        List<AnomalyMetrics.RocPoint> roc = AnomalyMetrics.rocCurve(SK_SCORES, SK_LABELS);
        assertEquals(5, roc.size());
        assertEquals(new AnomalyMetrics.RocPoint(0, 0), roc.get(0));
        assertEquals(new AnomalyMetrics.RocPoint(0, 0.5), roc.get(1));
        assertEquals(new AnomalyMetrics.RocPoint(0.5, 0.5), roc.get(2));
        assertEquals(new AnomalyMetrics.RocPoint(0.5, 1), roc.get(3));
        assertEquals(new AnomalyMetrics.RocPoint(1, 1), roc.get(4));
    }

    @Test
    void precisionRecallAndF1AtAThreshold() {
        // flag > 0.3: 0.4 (normal), 0.35 and 0.8 (anomalies) -> tp 2, fp 1, fn 0
        AnomalyMetrics.AtThreshold m = AnomalyMetrics.atThreshold(SK_SCORES, SK_LABELS, 0.3);
        assertEquals(2, m.truePositives());
        assertEquals(1, m.falsePositives());
        assertEquals(0, m.falseNegatives());
        assertEquals(2.0 / 3, m.precision(), 1e-12);
        assertEquals(1.0, m.recall(), 1e-12);
        assertEquals(0.8, m.f1(), 1e-12);
        // a score equal to the threshold is not flagged
        AnomalyMetrics.AtThreshold at = AnomalyMetrics.atThreshold(SK_SCORES, SK_LABELS, 0.8f);
        assertEquals(0, at.truePositives());
        assertEquals(0.0, at.f1());
    }

    @Test
    void labelsOfOneClassLeaveTheAucUndefinedAndSaySo() {
        float[] s = {0.1f, 0.2f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnomalyMetrics.rocAuc(s, new boolean[] {false, false}));
        assertTrue(e.getMessage().contains("all normal") && e.getMessage().contains("undefined"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AnomalyMetrics.averagePrecision(s, new boolean[] {true, true}));
        assertTrue(e.getMessage().contains("all anomalous"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AnomalyMetrics.rocAuc(s, new boolean[] {true}));
        assertTrue(e.getMessage().contains("2 scores but 1 labels"), e.getMessage());
    }
}
