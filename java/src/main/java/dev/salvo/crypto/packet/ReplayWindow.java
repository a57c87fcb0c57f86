/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

/**
 * Sliding anti-replay window over packet numbers (RFC 6479): a ring of 64-bit blocks; moving the top
 * forward clears whole blocks, so it costs O(1) per packet and never allocates.
 *
 * <p>Packets more than {@link #WINDOW_SIZE} below the highest accepted packet number are too old; each
 * packet number inside the window is accepted once. Only {@link #accept(long)} changes state and must be
 * called only after the packet authenticated; {@link #check(long)} is a read-only pre-filter.
 */
public final class ReplayWindow
{
    /** The packet number has not been seen and is inside the window. */
    public static final int NEW = 0;

    /** The packet number was accepted before. */
    public static final int DUPLICATE = 1;

    /** The packet number is below the window. */
    public static final int TOO_OLD = 2;

    /** Ring size in bits. */
    public static final int RING_BITS = 8192;

    /** Packets this far below the top are still tracked (one block is always being recycled). */
    public static final int WINDOW_SIZE = RING_BITS - Long.SIZE;

    private static final int BLOCKS = RING_BITS / Long.SIZE;
    private static final int BLOCK_MASK = BLOCKS - 1;

    private final long[] bitmap = new long[BLOCKS];
    private long top = -1;

    /** @return the highest accepted packet number, or -1. */
    public long top()
    {
        return top;
    }

    /**
     * @param packetNumber a non-negative packet number.
     * @return {@link #NEW}, {@link #DUPLICATE} or {@link #TOO_OLD}; state is unchanged.
     */
    public int check(final long packetNumber)
    {
        if (packetNumber > top)
        {
            return NEW;
        }
        if (top - packetNumber >= WINDOW_SIZE)
        {
            return TOO_OLD;
        }
        final long bit = 1L << (packetNumber & 63);
        return 0 != (bitmap[(int)(packetNumber >>> 6) & BLOCK_MASK] & bit) ? DUPLICATE : NEW;
    }

    /**
     * Records an authenticated packet number.
     *
     * @param packetNumber a non-negative packet number.
     * @return {@link #NEW} if recorded now, otherwise {@link #DUPLICATE} or {@link #TOO_OLD}.
     */
    public int accept(final long packetNumber)
    {
        if (packetNumber > top)
        {
            final long newBlock = packetNumber >>> 6;
            if (top >= 0)
            {
                final long topBlock = top >>> 6;
                final long advance = Math.min(newBlock - topBlock, BLOCKS);
                for (long i = 1; i <= advance; i++)
                {
                    bitmap[(int)(topBlock + i) & BLOCK_MASK] = 0;
                }
            }
            top = packetNumber;
        }
        else if (top - packetNumber >= WINDOW_SIZE)
        {
            return TOO_OLD;
        }

        final int index = (int)(packetNumber >>> 6) & BLOCK_MASK;
        final long bit = 1L << (packetNumber & 63);
        if (0 != (bitmap[index] & bit))
        {
            return DUPLICATE;
        }
        bitmap[index] |= bit;
        return NEW;
    }
}
