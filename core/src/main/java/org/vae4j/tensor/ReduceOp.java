package org.vae4j.tensor;

/** Reductions along a set of axes. A reduction over zero elements gives 0 (SUM), NaN (MEAN) or -inf (MAX). */
public enum ReduceOp {
    SUM,
    MEAN,
    MAX
}
