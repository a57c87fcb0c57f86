/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import java.util.Arrays;

/** The bottleneck's cumulative bytes and its queue, sampled at the same times as the flows. */
public final class LinkMetrics
{
    private long[] timeNs = new long[256];
    private long[] bytesTransmitted = new long[256];
    private long[] queuedBytes = new long[256];
    private int count;

    void add(final long nowNs, final long transmitted, final long queued)
    {
        if (count == timeNs.length)
        {
            timeNs = Arrays.copyOf(timeNs, count * 2);
            bytesTransmitted = Arrays.copyOf(bytesTransmitted, count * 2);
            queuedBytes = Arrays.copyOf(queuedBytes, count * 2);
        }
        timeNs[count] = nowNs;
        bytesTransmitted[count] = transmitted;
        queuedBytes[count] = queued;
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
        return timeNs[i];
    }

    /** @return wire bytes carried by sample {@code i}. */
    public long bytesTransmitted(final int i)
    {
        return bytesTransmitted[i];
    }

    /** @return bytes queued at sample {@code i}. */
    public long queuedBytes(final int i)
    {
        return queuedBytes[i];
    }

    /** @return the index of the first sample at or after {@code nowNs} (count if none). */
    public int indexAt(final long nowNs)
    {
        for (int i = 0; i < count; i++)
        {
            if (timeNs[i] >= nowNs)
            {
                return i;
            }
        }
        return count;
    }

    /** @return wire bytes carried between two samples / what the link could carry. */
    public double utilisation(final int from, final int to, final long rateBitsPerSecond)
    {
        final double capacity = rateBitsPerSecond / 8.0 * (timeNs[to] - timeNs[from]) / Simulation.SECOND;
        return (bytesTransmitted[to] - bytesTransmitted[from]) / capacity;
    }

    /** @return the mean sampled queue in [from, to], bytes. */
    public double meanQueuedBytes(final int from, final int to)
    {
        double sum = 0;
        for (int i = from; i <= to; i++)
        {
            sum += queuedBytes[i];
        }
        return sum / (to - from + 1);
    }
}
