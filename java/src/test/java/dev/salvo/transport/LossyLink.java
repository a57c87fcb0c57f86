/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A deterministic in-memory network between two {@link ReliableConnectionCore}s: seeded loss, duplication
 * and reordering (random extra delay), a fake clock that jumps to the next event. Stands in for the
 * crypto layer too: the packet number travels next to the plaintext.
 */
final class LossyLink
{
    static final int PLAINTEXT_SIZE = 1472 - ConnectionSettings.PACKET_OVERHEAD;
    static final long MS = 1_000_000L;

    private record Packet(long arrivalNs, long sequence, int destination, long packetNumber, byte[] bytes)
        implements Comparable<Packet>
    {
        public int compareTo(final Packet other)
        {
            final int byTime = Long.compare(arrivalNs, other.arrivalNs);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Packet> inFlight = new PriorityQueue<>();
    private final SplittableRandom random;
    private final double lossRate;
    private final double duplicateRate;
    private final long delayNs;
    private final long jitterNs;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[PLAINTEXT_SIZE]);
    private final long[] nextPacketNumber = new long[2];
    private long sequence;
    long nowNs;
    long packetsSent;
    long packetsDropped;
    long rejections;

    LossyLink(final long seed, final double lossRate, final double duplicateRate, final long delayNs, final long jitterNs)
    {
        this.random = new SplittableRandom(seed);
        this.lossRate = lossRate;
        this.duplicateRate = duplicateRate;
        this.delayNs = delayNs;
        this.jitterNs = jitterNs;
    }

    /** Lets {@code from} send everything it will send now (bounded), into the network towards the other side. */
    void flush(final ReliableConnectionCore[] cores, final int from)
    {
        for (int i = 0; i < 256; i++)
        {
            final long pn = nextPacketNumber[from];
            final int length = cores[from].writePacket(scratch, 0, PLAINTEXT_SIZE, pn, nowNs);
            if (length == 0)
            {
                return;
            }
            nextPacketNumber[from] = pn + 1;
            packetsSent++;
            final byte[] bytes = new byte[length];
            scratch.getBytes(0, bytes);
            if (random.nextDouble() < lossRate)
            {
                packetsDropped++;
            }
            else
            {
                schedule(1 - from, pn, bytes);
            }
            if (random.nextDouble() < duplicateRate)
            {
                schedule(1 - from, pn, bytes);
            }
        }
    }

    private void schedule(final int destination, final long pn, final byte[] bytes)
    {
        final long jitter = jitterNs == 0 ? 0 : random.nextLong(jitterNs);
        inFlight.add(new Packet(nowNs + delayNs + jitter, sequence++, destination, pn, bytes));
    }

    /**
     * Advances the clock to the next arrival or timer and processes everything due.
     *
     * @return false if nothing will ever happen again (deadlock).
     */
    boolean step(final ReliableConnectionCore[] cores)
    {
        long next = Math.min(cores[0].nextDeadlineNs(), cores[1].nextDeadlineNs());
        if (!inFlight.isEmpty())
        {
            next = Math.min(next, inFlight.peek().arrivalNs());
        }
        if (next == Long.MAX_VALUE)
        {
            return false;
        }
        nowNs = Math.max(nowNs, next);
        while (!inFlight.isEmpty() && inFlight.peek().arrivalNs() <= nowNs)
        {
            final Packet packet = inFlight.poll();
            final int result = cores[packet.destination()].receivePacket(
                new UnsafeBuffer(packet.bytes()), 0, packet.bytes().length, packet.packetNumber(), nowNs);
            if (result != 0)
            {
                rejections++;
            }
        }
        cores[0].onTimer(nowNs);
        cores[1].onTimer(nowNs);
        return true;
    }

    /** Queues a hand-made packet from side {@code from} (a hostile peer). */
    void inject(final int from, final byte[] plaintext)
    {
        final long pn = nextPacketNumber[from]++;
        schedule(1 - from, pn, plaintext);
    }

    boolean idle()
    {
        return inFlight.isEmpty();
    }
}
