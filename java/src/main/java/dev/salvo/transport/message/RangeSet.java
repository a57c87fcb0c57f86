/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.message;

/**
 * A set of byte offsets as sorted, disjoint, non-adjacent half-open ranges {@code [start, end)}.
 * Tracks which bytes of a message were received (receiver) or acknowledged (sender). Grows its
 * arrays by doubling and keeps them across {@link #clear()}, so a pooled set allocates nothing in
 * steady state.
 */
public final class RangeSet
{
    private long[] starts;
    private long[] ends;
    private int count;
    private long covered;

    /** Creates an empty set. */
    public RangeSet()
    {
        starts = new long[4];
        ends = new long[4];
    }

    /** Empties the set, keeping its storage. */
    public void clear()
    {
        count = 0;
        covered = 0;
    }

    /** @return number of disjoint ranges. */
    public int rangeCount()
    {
        return count;
    }

    /** @return total bytes covered. */
    public long covered()
    {
        return covered;
    }

    /**
     * Adds {@code [start, end)}.
     *
     * @return how many bytes were not covered before.
     */
    public long add(final long start, final long end)
    {
        if (end <= start)
        {
            return 0;
        }
        // First range whose end >= start (could merge/overlap).
        final int i = lowerBound(start);
        int j = i;
        long newStart = start;
        long newEnd = end;
        long alreadyCovered = 0;
        while (j < count && starts[j] <= end)
        {
            newStart = Math.min(newStart, starts[j]);
            newEnd = Math.max(newEnd, ends[j]);
            alreadyCovered += Math.min(ends[j], end) - Math.max(starts[j], start);
            j++;
        }
        final long added = (end - start) - alreadyCovered;
        final int merged = j - i;
        if (merged == 0)
        {
            ensureCapacity(count + 1);
            System.arraycopy(starts, i, starts, i + 1, count - i);
            System.arraycopy(ends, i, ends, i + 1, count - i);
            count++;
        }
        else if (merged > 1)
        {
            System.arraycopy(starts, j, starts, i + 1, count - j);
            System.arraycopy(ends, j, ends, i + 1, count - j);
            count -= merged - 1;
        }
        starts[i] = newStart;
        ends[i] = newEnd;
        covered += added;
        return added;
    }

    /** @return true if every byte of {@code [start, end)} is covered (true for an empty range). */
    public boolean covers(final long start, final long end)
    {
        if (end <= start)
        {
            return true;
        }
        final int i = lowerBound(start);
        return i < count && starts[i] <= start && ends[i] >= end;
    }

    /** @return the smallest offset ≥ {@code from} not covered. */
    public long firstMissing(final long from)
    {
        final int i = lowerBound(from);
        if (i < count && starts[i] <= from)
        {
            return ends[i];
        }
        return from;
    }

    /** @return the smallest covered offset ≥ {@code from}, or {@link Long#MAX_VALUE}. */
    public long nextCovered(final long from)
    {
        final int i = lowerBound(from + 1);
        if (i == count)
        {
            return Long.MAX_VALUE;
        }
        return Math.max(starts[i], from);
    }

    /** Index of the first range with end >= value (ranges ending exactly at value touch it). */
    private int lowerBound(final long value)
    {
        int low = 0;
        int high = count;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (ends[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    private void ensureCapacity(final int required)
    {
        if (required > starts.length)
        {
            final int capacity = Math.max(required, starts.length * 2);
            starts = java.util.Arrays.copyOf(starts, capacity);
            ends = java.util.Arrays.copyOf(ends, capacity);
        }
    }
}
