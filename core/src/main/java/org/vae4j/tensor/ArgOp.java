package org.vae4j.tensor;

/**
 * The index of the extreme value along one axis, as a float. Ties go to the lowest index,
 * so every backend picks the same one.
 */
public enum ArgOp {
    ARGMIN,
    ARGMAX
}
