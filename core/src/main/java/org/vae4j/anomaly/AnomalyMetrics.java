package org.vae4j.anomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Detection quality against labels ({@code true} = anomalous), scores higher meaning more
 * anomalous: ROC AUC, average precision, the ROC curve, and precision/recall/F1 at a threshold.
 */
public final class AnomalyMetrics {

    private AnomalyMetrics() {
    }

    /** One point of the ROC curve. */
    public record RocPoint(double falsePositiveRate, double truePositiveRate) {
    }

    /** Precision, recall and F1 of the rule "flag when score > threshold". */
    public record AtThreshold(double threshold, int truePositives, int falsePositives,
            int falseNegatives, double precision, double recall, double f1) {
    }

    /**
     * The area under the ROC curve as the Mann–Whitney statistic: the probability that a random
     * anomaly scores above a random normal example, ties counting one half.
     * {@code AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ n₋)} with {@code R₊} the sum of the anomalies'
     * mid-ranks.
     */
    public static double rocAuc(float[] scores, boolean[] anomalous) {
        int[] counts = check(scores, anomalous);
        long pos = counts[0];
        long neg = counts[1];
        Integer[] order = ascending(scores);
        double rankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1; // ranks i+1 .. j+1 share their mean
            for (int k = i; k <= j; k++) {
                if (anomalous[order[k]]) {
                    rankSum += midRank;
                }
            }
            i = j + 1;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * Average precision as scikit-learn's {@code average_precision_score}:
     * {@code AP = Σ_n (R_n − R_{n−1}) P_n} over the distinct score thresholds from the highest
     * down, tied scores entering together (a step function, no interpolation).
     */
    public static double averagePrecision(float[] scores, boolean[] anomalous) {
        int pos = check(scores, anomalous)[0];
        double ap = 0;
        double lastRecall = 0;
        for (int[] c : countsAboveEachScore(scores, anomalous)) {
            double recall = (double) c[0] / pos;
            ap += (recall - lastRecall) * c[0] / (c[0] + c[1]);
            lastRecall = recall;
        }
        return ap;
    }

    /** The ROC curve from (0, 0) to (1, 1), one point per distinct score from the highest. */
    public static List<RocPoint> rocCurve(float[] scores, boolean[] anomalous) {
        int[] counts = check(scores, anomalous);
        List<RocPoint> points = new ArrayList<>();
        points.add(new RocPoint(0, 0));
        for (int[] c : countsAboveEachScore(scores, anomalous)) {
            points.add(new RocPoint((double) c[1] / counts[1], (double) c[0] / counts[0]));
        }
        return points;
    }

    /**
     * For each distinct score from the highest down, the anomalous and normal records scored at
     * least that high, {@code {tp, fp}}: tied scores enter together.
     */
    private static List<int[]> countsAboveEachScore(float[] scores, boolean[] anomalous) {
        Integer[] order = ascending(scores);
        List<int[]> out = new ArrayList<>();
        int tp = 0;
        int fp = 0;
        int i = order.length - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            for (int k = j; k <= i; k++) {
                if (anomalous[order[k]]) {
                    tp++;
                } else {
                    fp++;
                }
            }
            out.add(new int[] {tp, fp});
            i = j - 1;
        }
        return out;
    }

    /** Precision, recall and F1 of flagging {@code score > threshold} (0 where undefined). */
    public static AtThreshold atThreshold(float[] scores, boolean[] anomalous,
            double threshold) {
        check(scores, anomalous);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] > threshold;
            if (flagged && anomalous[i]) {
                tp++;
            } else if (flagged) {
                fp++;
            } else if (anomalous[i]) {
                fn++;
            }
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new AtThreshold(threshold, tp, fp, fn, precision, recall, f1);
    }

    /** {positives, negatives}; refuses mismatched lengths, NaN scores and one-class labels. */
    private static int[] check(float[] scores, boolean[] anomalous) {
        if (scores.length != anomalous.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + anomalous.length
                    + " labels: each example needs one label");
        }
        int pos = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("the score of example " + i + " is NaN");
            }
            if (anomalous[i]) {
                pos++;
            }
        }
        int neg = scores.length - pos;
        if (pos == 0 || neg == 0) {
            throw new IllegalArgumentException("the labels are all " + (pos == 0 ? "normal" : "anomalous")
                    + " (" + scores.length + " examples): ROC AUC and average precision are"
                    + " undefined without both normal and anomalous examples");
        }
        return new int[] {pos, neg};
    }

    private static Integer[] ascending(float[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        return order;
    }
}
