/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.message;

import java.util.ArrayDeque;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class BufferPoolTest
{
    @Test
    void reusesAReleasedBufferOfTheSameSizeClass()
    {
        final BufferPool pool = new BufferPool(1 << 20);
        final UnsafeBuffer first = pool.acquire(1000);
        assertEquals(1024, first.capacity(), "rounded up to the size class");
        pool.release(first);
        assertSame(first, pool.acquire(700), "700 B is in the same 1 KiB class");
        assertEquals(1, pool.allocations());
        assertEquals(0, pool.retainedBytes());
    }

    @Test
    void largeBuffersAreExactAndNeverPooled()
    {
        final BufferPool pool = new BufferPool(1 << 20);
        final UnsafeBuffer large = pool.acquire(BufferPool.MAX_POOLED + 1);
        assertEquals(BufferPool.MAX_POOLED + 1, large.capacity());
        pool.release(large);
        assertEquals(0, pool.retainedBytes());
        assertNotSame(large, pool.acquire(BufferPool.MAX_POOLED + 1));
    }

    @Test
    void keepsNoMoreThanTheBudgetOfOneSize()
    {
        final BufferPool pool = new BufferPool(4 * 1024);
        final UnsafeBuffer[] held = new UnsafeBuffer[6];
        for (int i = 0; i < held.length; i++)
        {
            held[i] = pool.acquire(1024);
        }
        for (final UnsafeBuffer buffer : held)
        {
            pool.release(buffer);
        }
        assertEquals(4 * 1024, pool.retainedBytes(), "four of six fit the budget; the rest go to the GC");
        assertEquals(0, pool.evictions(), "nothing of another size to evict");
    }

    @Test
    void aReleaseOfANewSizeEvictsIdleBuffersOfOtherSizes()
    {
        final BufferPool pool = new BufferPool(64 * 1024);
        final ArrayDeque<UnsafeBuffer> small = new ArrayDeque<>();
        for (int i = 0; i < 64; i++)
        {
            small.add(pool.acquire(1024));
        }
        small.forEach(pool::release);
        assertEquals(64 * 1024, pool.retainedBytes(), "the budget is full of 1 KiB buffers");

        final UnsafeBuffer big = pool.acquire(16 * 1024);
        pool.release(big);
        assertEquals(16, pool.evictions(), "sixteen 1 KiB buffers make room for one of 16 KiB");
        assertEquals(64 * 1024, pool.retainedBytes());
        assertSame(big, pool.acquire(16 * 1024), "the new size is pooled");
    }

    /**
     * The steady state after a change of message size: peaks of 16 KiB messages fill the budget, then the
     * sender moves to 64 KiB messages whose peak needs most of it. Without eviction every later peak
     * allocates the part of it the idle 16 KiB buffers crowd out (SteadyStateAllocationTest failed so on a
     * machine whose small socket buffers kept the sender at its unacknowledged-bytes limit).
     */
    @Test
    void aNewPeakSizeStopsAllocatingAfterItsFirstPeak()
    {
        final BufferPool pool = new BufferPool(32L * 1024 * 1024);
        peak(pool, 16 * 1024, 1088); // 17 MiB in flight: the send limit plus the small-message reserve
        final long afterSmall = pool.allocations();
        peak(pool, 64 * 1024, 272);
        final long afterFirstBigPeak = pool.allocations();
        assertEquals(afterSmall + 272, afterFirstBigPeak, "the first peak of a new size allocates it once");
        for (int round = 0; round < 5; round++)
        {
            peak(pool, 64 * 1024, 272);
        }
        assertEquals(afterFirstBigPeak, pool.allocations(), "later peaks reuse the pooled buffers");
    }

    private static void peak(final BufferPool pool, final int size, final int count)
    {
        final UnsafeBuffer[] inFlight = new UnsafeBuffer[count];
        for (int i = 0; i < count; i++)
        {
            inFlight[i] = pool.acquire(size);
        }
        for (final UnsafeBuffer buffer : inFlight)
        {
            pool.release(buffer);
        }
    }
}
