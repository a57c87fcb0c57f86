/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayWindowTest
{
    @Test
    void acceptsOnceAndRejectsDuplicates()
    {
        final ReplayWindow window = new ReplayWindow();
        assertEquals(ReplayWindow.NEW, window.accept(0));
        assertEquals(ReplayWindow.DUPLICATE, window.accept(0));
        assertEquals(ReplayWindow.NEW, window.accept(5));
        assertEquals(ReplayWindow.NEW, window.accept(3));
        assertEquals(ReplayWindow.DUPLICATE, window.check(3));
        assertEquals(ReplayWindow.DUPLICATE, window.accept(3));
        assertEquals(ReplayWindow.NEW, window.check(4));
        assertEquals(5, window.top());
    }

    @Test
    void windowEdgeIsExact()
    {
        final ReplayWindow window = new ReplayWindow();
        final long top = 100_000;
        assertEquals(ReplayWindow.NEW, window.accept(top));
        assertEquals(ReplayWindow.NEW, window.accept(top - ReplayWindow.WINDOW_SIZE + 1));
        assertEquals(ReplayWindow.TOO_OLD, window.accept(top - ReplayWindow.WINDOW_SIZE));
        assertEquals(ReplayWindow.TOO_OLD, window.check(0));
    }

    @Test
    void largeJumpForgetsEverythingBelowTheWindow()
    {
        final ReplayWindow window = new ReplayWindow();
        for (int i = 0; i < 10_000; i++)
        {
            window.accept(i);
        }
        final long jump = 10_000 + 5L * ReplayWindow.RING_BITS + 17;
        assertEquals(ReplayWindow.NEW, window.accept(jump));
        // Inside the new window, nothing is marked yet although the ring slots were used before.
        for (long pn = jump - ReplayWindow.WINDOW_SIZE + 1; pn < jump; pn++)
        {
            assertEquals(ReplayWindow.NEW, window.check(pn), "pn " + pn);
        }
    }

    @Test
    void matchesReferenceModelUnderRandomReordering()
    {
        final Random random = new Random(7);
        final ReplayWindow window = new ReplayWindow();
        final Set<Long> seen = new HashSet<>();
        long top = -1;
        long base = 0;
        for (int i = 0; i < 300_000; i++)
        {
            base += random.nextInt(3);
            final long pn = Math.max(0, base + random.nextInt(200) - (random.nextInt(50) == 0 ? 9000 : 150));
            final int expected;
            if (pn > top)
            {
                expected = ReplayWindow.NEW;
            }
            else if (top - pn >= ReplayWindow.WINDOW_SIZE)
            {
                expected = ReplayWindow.TOO_OLD;
            }
            else
            {
                expected = seen.contains(pn) ? ReplayWindow.DUPLICATE : ReplayWindow.NEW;
            }
            assertEquals(expected, window.check(pn), "check pn " + pn);
            assertEquals(expected, window.accept(pn), "accept pn " + pn);
            if (ReplayWindow.NEW == expected)
            {
                seen.add(pn);
                top = Math.max(top, pn);
            }
        }
    }
}
