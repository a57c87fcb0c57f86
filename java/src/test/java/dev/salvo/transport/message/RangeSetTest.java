/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.message;

import java.util.BitSet;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RangeSetTest
{
    @Test
    void matchesABitSetModelUnderRandomOverlappingAdds()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++)
        {
            final RangeSet set = new RangeSet();
            final BitSet model = new BitSet();
            for (int i = 0; i < 60; i++)
            {
                final int start = random.nextInt(500);
                final int end = start + random.nextInt(40);
                final int before = model.cardinality();
                model.set(start, end);
                assertEquals(model.cardinality() - before, set.add(start, end), "newly covered");
                assertEquals(model.cardinality(), set.covered());
                final int probe = random.nextInt(540);
                assertEquals(model.nextClearBit(probe), set.firstMissing(probe), "firstMissing(" + probe + ")");
                final int next = model.nextSetBit(probe);
                assertEquals(next < 0 ? Long.MAX_VALUE : next, set.nextCovered(probe), "nextCovered(" + probe + ")");
                final int length = random.nextInt(20);
                assertEquals(model.nextClearBit(probe) >= probe + length, set.covers(probe, probe + length));
            }
            set.clear();
            assertEquals(0, set.covered());
            assertEquals(0, set.rangeCount());
        }
    }
}
