package org.vae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepRandomTest {

    @Test
    void aStepsGeneratorDependsOnlyOnSeedAndStep() {
        assertEquals(StepRandom.forStep(1, 10).nextLong(), StepRandom.forStep(1, 10).nextLong());
        assertNotEquals(StepRandom.forStep(1, 10).nextLong(),
                StepRandom.forStep(1, 11).nextLong());
        assertNotEquals(StepRandom.forStep(1, 10).nextLong(),
                StepRandom.forStep(2, 10).nextLong());
        assertNotEquals(StepRandom.forStep(1, 10).nextLong(),
                StepRandom.forEvaluation(1, 10).nextLong());
    }

    @Test
    void nearbySeedsAndStepsGiveDistinctStreams() {
        Set<Long> firsts = new HashSet<>();
        for (long seed = 0; seed < 32; seed++) {
            for (long step = 0; step < 32; step++) {
                firsts.add(StepRandom.forStep(seed, step).nextLong());
            }
        }
        assertEquals(32 * 32, firsts.size());
    }
}
