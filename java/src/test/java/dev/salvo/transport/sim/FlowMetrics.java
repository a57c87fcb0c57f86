/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import java.util.Arrays;

/**
 * A flow's cumulative counters sampled at fixed virtual times, so any window's rates are differences of
 * two samples and cwnd and RTT can be plotted over time.
 */
public final class FlowMetrics
{
    private static final int FIELDS = 9;
    private static final int TIME = 0;
    private static final int DELIVERED = 1;
    private static final int SENT = 2;
    private static final int RETRANSMITTED = 3;
    private static final int LOST = 4;
    private static final int DROPPED = 5;
    private static final int CWND = 6;
    private static final int IN_FLIGHT = 7;
    private static final int SRTT = 8;

    private long[] samples = new long[FIELDS * 256];
    private int count;

    void add(
        final long timeNs, final long bytesReceived, final long packetsSent, final long packetsRetransmitted,
        final long packetsLost, final long packetsDropped, final long cwnd, final long bytesInFlight, final long srttNs)
    {
        if ((count + 1) * FIELDS > samples.length)
        {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        final int base = count * FIELDS;
        samples[base + TIME] = timeNs;
        samples[base + DELIVERED] = bytesReceived;
        samples[base + SENT] = packetsSent;
        samples[base + RETRANSMITTED] = packetsRetransmitted;
        samples[base + LOST] = packetsLost;
        samples[base + DROPPED] = packetsDropped;
        samples[base + CWND] = cwnd;
        samples[base + IN_FLIGHT] = bytesInFlight;
        samples[base + SRTT] = srttNs;
        count++;
    }

    /** @return number of samples. */
    public int count()
    {
        return count;
    }

    /** @return sample {@code i}'s time, ns. */
    public long timeNs(final int i)
    {
        return get(i, TIME);
    }

    /** @return sample {@code i}'s congestion window, bytes. */
    public long cwnd(final int i)
    {
        return get(i, CWND);
    }

    /** @return sample {@code i}'s bytes in flight. */
    public long bytesInFlight(final int i)
    {
        return get(i, IN_FLIGHT);
    }

    /** @return sample {@code i}'s smoothed RTT, ns. */
    public long srttNs(final int i)
    {
        return get(i, SRTT);
    }

    /** @return new message bytes received by sample {@code i} (each byte counted once, when it first arrives). */
    public long bytesReceived(final int i)
    {
        return get(i, DELIVERED);
    }

    private long get(final int i, final int field)
    {
        return samples[i * FIELDS + field];
    }

    /** @return the index of the first sample at or after {@code timeNs} (count if none). */
    public int indexAt(final long timeNs)
    {
        for (int i = 0; i < count; i++)
        {
            if (get(i, TIME) >= timeNs)
            {
                return i;
            }
        }
        return count;
    }

    /** @return goodput (new message bytes received) between samples {@code from} and {@code to}, bit/s. */
    public double goodputBps(final int from, final int to)
    {
        return (get(to, DELIVERED) - get(from, DELIVERED)) * 8.0 * Simulation.SECOND / (get(to, TIME) - get(from, TIME));
    }

    /** @return packets carrying retransmitted data / packets sent, between two samples. */
    public double retransmissionRatio(final int from, final int to)
    {
        final long sent = get(to, SENT) - get(from, SENT);
        return sent == 0 ? 0 : (double)(get(to, RETRANSMITTED) - get(from, RETRANSMITTED)) / sent;
    }

    /** @return packets declared lost between two samples. */
    public long packetsLost(final int from, final int to)
    {
        return get(to, LOST) - get(from, LOST);
    }

    /** @return the flow's packets the links dropped between two samples. */
    public long packetsDropped(final int from, final int to)
    {
        return get(to, DROPPED) - get(from, DROPPED);
    }

    /** @return the smallest sampled cwnd in [from, to]. */
    public long minCwnd(final int from, final int to)
    {
        long min = Long.MAX_VALUE;
        for (int i = from; i <= to; i++)
        {
            min = Math.min(min, get(i, CWND));
        }
        return min;
    }
}
