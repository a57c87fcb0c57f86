/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.message;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Heap buffers for message bodies, pooled in power-of-two size classes from {@value #MIN_POOLED} bytes
 * to {@value #MAX_POOLED} bytes so that messages up to 64 KiB cost no allocation in steady state. The
 * pool keeps released buffers up to a byte budget (whatever was in use at the peak, up to the budget, is
 * reused; beyond it buffers go to the GC). The budget follows the work: when a release would pass it,
 * buffers of other size classes are dropped first, so a sender that moves from 16 KiB to 64 KiB messages
 * stops allocating once its new peak is pooled, instead of allocating the difference on every peak because
 * the old size's idle buffers hold the budget. Larger buffers are allocated at their exact size and left
 * to the GC on release (large messages are rare and their copy dominates). Single-threaded: one pool
 * serves every connection core of one I/O thread.
 */
public final class BufferPool
{
    /** Smallest pooled buffer. */
    public static final int MIN_POOLED = 256;

    /** Largest pooled buffer. */
    public static final int MAX_POOLED = 64 * 1024;

    /** Default retained-bytes budget: 32 MiB. */
    public static final long DEFAULT_MAX_RETAINED_BYTES = 32L * 1024 * 1024;

    private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_POOLED);
    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_POOLED) - MIN_SHIFT + 1;
    private static final int INITIAL_STACK = 16;

    private final UnsafeBuffer[][] free = new UnsafeBuffer[CLASSES][INITIAL_STACK];
    private final int[] freeCount = new int[CLASSES];
    private final long maxRetainedBytes;
    private long retainedBytes;
    private long allocations;
    private long evictions;

    /** A pool with {@link #DEFAULT_MAX_RETAINED_BYTES}. */
    public BufferPool()
    {
        this(DEFAULT_MAX_RETAINED_BYTES);
    }

    /**
     * @param maxRetainedBytes most bytes of released buffers kept for reuse.
     */
    public BufferPool(final long maxRetainedBytes)
    {
        this.maxRetainedBytes = maxRetainedBytes;
    }

    /**
     * @param capacity bytes needed.
     * @return a buffer of at least {@code capacity} bytes (exactly {@code capacity} above {@link #MAX_POOLED}).
     */
    public UnsafeBuffer acquire(final int capacity)
    {
        if (capacity > MAX_POOLED)
        {
            allocations++;
            return new UnsafeBuffer(new byte[capacity]);
        }
        final int sizeClass = sizeClass(capacity);
        if (freeCount[sizeClass] > 0)
        {
            final UnsafeBuffer buffer = free[sizeClass][--freeCount[sizeClass]];
            free[sizeClass][freeCount[sizeClass]] = null;
            retainedBytes -= buffer.capacity();
            return buffer;
        }
        allocations++;
        return new UnsafeBuffer(new byte[1 << (sizeClass + MIN_SHIFT)]);
    }

    /** Returns a buffer obtained from {@link #acquire}. */
    public void release(final UnsafeBuffer buffer)
    {
        final int capacity = buffer.capacity();
        if (capacity > MAX_POOLED || Integer.bitCount(capacity) != 1 || capacity < MIN_POOLED)
        {
            return;
        }
        final int sizeClass = sizeClass(capacity);
        if (retainedBytes + capacity > maxRetainedBytes && !evictOtherClasses(sizeClass, capacity))
        {
            return; // this size alone fills the budget: the buffer goes to the GC
        }
        if (freeCount[sizeClass] == free[sizeClass].length)
        {
            free[sizeClass] = Arrays.copyOf(free[sizeClass], freeCount[sizeClass] * 2);
        }
        free[sizeClass][freeCount[sizeClass]++] = buffer;
        retainedBytes += capacity;
    }

    /**
     * Drops idle buffers of size classes other than {@code keptClass}, the class retaining the most bytes
     * first, until {@code needed} more bytes fit the budget.
     *
     * @return true if they fit.
     */
    private boolean evictOtherClasses(final int keptClass, final int needed)
    {
        while (retainedBytes + needed > maxRetainedBytes)
        {
            int victim = -1;
            long victimBytes = 0;
            for (int c = 0; c < CLASSES; c++)
            {
                final long bytes = (long)freeCount[c] << (c + MIN_SHIFT);
                if (c != keptClass && bytes > victimBytes)
                {
                    victim = c;
                    victimBytes = bytes;
                }
            }
            if (victim < 0)
            {
                return false;
            }
            final int top = --freeCount[victim];
            free[victim][top] = null;
            retainedBytes -= 1L << (victim + MIN_SHIFT);
            evictions++;
        }
        return true;
    }

    /** @return buffers dropped from the pool to make room for a size in use (see the class comment). */
    public long evictions()
    {
        return evictions;
    }

    /** @return buffers allocated so far (a steady-state allocation check for tests and stats). */
    public long allocations()
    {
        return allocations;
    }

    /** @return bytes of released buffers kept for reuse. */
    public long retainedBytes()
    {
        return retainedBytes;
    }

    private static int sizeClass(final int capacity)
    {
        if (capacity <= MIN_POOLED)
        {
            return 0;
        }
        return 32 - Integer.numberOfLeadingZeros(capacity - 1) - MIN_SHIFT;
    }
}
