package org.vae4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/** The workspace per scope: a tensor that outlives its scope must survive its workspace's reuse. */
class Nd4jWorkspacesTest {

    private final Backend be = Backends.get("nd4j");

    @Test
    void keptAndUntrackedTensorsKeepTheirValuesWhenTheirWorkspaceIsReused() {
        long live = be.liveTensors();
        Tensor kept;
        Tensor untracked;
        try (TensorScope outer = be.newScope()) {
            Tensor inner;
            try (TensorScope scope = be.newScope()) {
                Tensor a = be.fromArray(new float[] {1, 2, 3}, 3);
                inner = scope.keep(be.add(a, a));
                untracked = TensorScope.untrack(be.mul(a, a));
            }
            overwriteWorkspaces();
            assertArrayEquals(new float[] {2, 4, 6}, inner.toArray());
            kept = outer.keep(be.add(inner, inner));
        }
        overwriteWorkspaces();
        assertArrayEquals(new float[] {4, 8, 12}, kept.toArray());
        assertArrayEquals(new float[] {1, 4, 9}, untracked.toArray());
        kept.close();
        untracked.close();
        assertEquals(live, be.liveTensors());
    }

    /** Fills the first two scope depths' workspaces with other values. */
    private void overwriteWorkspaces() {
        try (TensorScope s = be.newScope()) {
            for (int i = 0; i < 50; i++) {
                be.full(Shape.of(3), -7f);
            }
            try (TensorScope t = be.newScope()) {
                for (int i = 0; i < 50; i++) {
                    be.full(Shape.of(3), -9f);
                }
            }
        }
    }
}
