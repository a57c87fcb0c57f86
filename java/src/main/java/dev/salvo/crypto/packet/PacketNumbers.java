/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

/**
 * Packet-number truncation and reconstruction (RFC 9000 §17.1 and Appendix A).
 */
public final class PacketNumbers
{
    /** Returned by {@link #encodedLength(long, long)} when four bytes cannot express the gap. */
    public static final int GAP_TOO_LARGE = -1;

    private PacketNumbers()
    {
    }

    /**
     * Shortest truncated length that lets a receiver that has seen {@code largestAcknowledged} reconstruct
     * {@code packetNumber}: the window 2^(8n) must exceed twice the unacknowledged range.
     *
     * @param packetNumber        the full packet number to send.
     * @param largestAcknowledged largest packet number the peer acknowledged, or -1 if none.
     * @return 1 to 4, or {@link #GAP_TOO_LARGE}.
     */
    public static int encodedLength(final long packetNumber, final long largestAcknowledged)
    {
        if (largestAcknowledged < 0)
        {
            return packetNumber < (1L << 31) ? 4 : GAP_TOO_LARGE;
        }
        final long unacknowledged = packetNumber - largestAcknowledged;
        if (unacknowledged < (1L << 7))
        {
            return 1;
        }
        if (unacknowledged < (1L << 15))
        {
            return 2;
        }
        if (unacknowledged < (1L << 23))
        {
            return 3;
        }
        if (unacknowledged < (1L << 31))
        {
            return 4;
        }
        return GAP_TOO_LARGE;
    }

    /**
     * Reconstructs a full packet number from its truncated form (RFC 9000 Appendix A.3).
     *
     * @param largest   largest packet number authenticated so far in this direction, or -1.
     * @param truncated the truncated value as an unsigned number.
     * @param length    truncated length in bytes, 1 to 4.
     * @return the packet number closest to {@code largest + 1} whose low bits match.
     */
    public static long decode(final long largest, final long truncated, final int length)
    {
        final long expected = largest + 1;
        final long window = 1L << (length * 8);
        final long halfWindow = window >>> 1;
        final long mask = window - 1;
        final long candidate = (expected & ~mask) | truncated;
        if (candidate <= expected - halfWindow && candidate < (1L << 62) - window)
        {
            return candidate + window;
        }
        if (candidate > expected + halfWindow && candidate >= window)
        {
            return candidate - window;
        }
        return candidate;
    }
}
