/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * One direction of a bottleneck path: a drop-tail FIFO queue (bytes) in front of a link that serialises
 * packets at a fixed rate, then a propagation delay. Optional, seeded: random loss on the wire (after the
 * queue, so lost packets used the bottleneck), jitter that keeps packets in order (extra delay, never
 * letting a packet overtake the one before it), and reordering (a packet held back by an extra delay,
 * so later ones overtake it).
 */
public final class SimulatedLink
{
    /** IPv4 + UDP header bytes added to every datagram on the wire (and counted against the rate). */
    public static final int IP_UDP_OVERHEAD = 28;

    /** The properties of one link direction. */
    public static final class Config
    {
        long rateBitsPerSecond = 100_000_000L;
        long delayNs = 25 * Simulation.MS;
        long queueBytes = Long.MAX_VALUE;
        double lossRate;
        long jitterNs;
        double reorderRate;
        long reorderDelayNs;
        long seed = 1;

        /** @return this, serialising at {@code bitsPerSecond}. */
        public Config rate(final long bitsPerSecond)
        {
            rateBitsPerSecond = bitsPerSecond;
            return this;
        }

        /** @return this, with a one-way propagation delay. */
        public Config delayNs(final long nanos)
        {
            delayNs = nanos;
            return this;
        }

        /** @return this, with a drop-tail queue of {@code bytes} (the packet being serialised counts). */
        public Config queueBytes(final long bytes)
        {
            queueBytes = bytes;
            return this;
        }

        /** @return this, dropping each packet on the wire with probability {@code rate}. */
        public Config loss(final double rate)
        {
            lossRate = rate;
            return this;
        }

        /** @return this, adding a uniform extra delay in [0, {@code nanos}) without reordering. */
        public Config jitterNs(final long nanos)
        {
            jitterNs = nanos;
            return this;
        }

        /** @return this, holding back each packet with probability {@code rate} by {@code delayNs} (reordering). */
        public Config reorder(final double rate, final long delayNs)
        {
            reorderRate = rate;
            reorderDelayNs = delayNs;
            return this;
        }

        /** @return this, seeding loss, jitter and reordering. */
        public Config seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        /** @return the serialisation rate, bit/s. */
        public long rateBitsPerSecond()
        {
            return rateBitsPerSecond;
        }

        /** @return the one-way propagation delay, ns. */
        public long delayNs()
        {
            return delayNs;
        }

        /** @return a copy (for the other direction). */
        public Config copy()
        {
            final Config copy = new Config();
            copy.rateBitsPerSecond = rateBitsPerSecond;
            copy.delayNs = delayNs;
            copy.queueBytes = queueBytes;
            copy.lossRate = lossRate;
            copy.jitterNs = jitterNs;
            copy.reorderRate = reorderRate;
            copy.reorderDelayNs = reorderDelayNs;
            copy.seed = seed;
            return copy;
        }
    }

    /** Where a packet goes and who is charged for what happens to it. */
    public interface Receiver
    {
        /** The packet arrived (virtual time: the simulation's now). */
        void onArrival(Packet packet);
    }

    /** Who is told when the link drops one of its packets. */
    public interface Sender
    {
        /** A packet of this sender was dropped (full queue or random loss). */
        void onLinkDrop();
    }

    /** One datagram: the plaintext and packet number a sealed packet would carry, and its wire size. */
    public static final class Packet
    {
        final Receiver destination;
        final Sender source;
        final long packetNumber;
        final byte[] plaintext;
        final int wireBytes;

        public Packet(final Sender source, final Receiver destination, final long packetNumber, final byte[] plaintext,
            final int wireBytes)
        {
            this.source = source;
            this.destination = destination;
            this.packetNumber = packetNumber;
            this.plaintext = plaintext;
            this.wireBytes = wireBytes;
        }
    }

    private final Simulation simulation;
    private final Config config;
    private final SplittableRandom random;
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean busy;
    private long lastArrivalNs;
    private long bytesTransmitted;
    private long packetsTransmitted;
    private long queueDrops;
    private long randomDrops;
    private long reordered;
    private long maxQueuedBytes;

    /** @param config copied settings of this direction. */
    public SimulatedLink(final Simulation simulation, final Config config)
    {
        this.simulation = simulation;
        this.config = config.copy();
        this.random = new SplittableRandom(config.seed);
    }

    /** Puts a packet into the queue, or drops it (tail drop) if the queue is full. */
    public void send(final Packet packet)
    {
        if (queuedBytes + packet.wireBytes > config.queueBytes && busy)
        {
            queueDrops++;
            packet.source.onLinkDrop();
            return;
        }
        queue.add(packet);
        queuedBytes += packet.wireBytes;
        maxQueuedBytes = Math.max(maxQueuedBytes, queuedBytes);
        if (!busy)
        {
            startTransmission();
        }
    }

    private void startTransmission()
    {
        busy = true;
        final Packet head = queue.peek();
        simulation.at(simulation.nowNs() + serialisationNs(head.wireBytes), this::transmitted);
    }

    /** @return the time to put {@code bytes} on this link, ns. */
    public long serialisationNs(final int bytes)
    {
        return bytes * 8L * Simulation.SECOND / config.rateBitsPerSecond;
    }

    private void transmitted()
    {
        final Packet packet = queue.poll();
        queuedBytes -= packet.wireBytes;
        bytesTransmitted += packet.wireBytes;
        packetsTransmitted++;
        if (config.lossRate > 0 && random.nextDouble() < config.lossRate)
        {
            randomDrops++;
            packet.source.onLinkDrop();
        }
        else
        {
            final long nowNs = simulation.nowNs();
            long arrivalNs = nowNs + config.delayNs;
            if (config.jitterNs > 0)
            {
                arrivalNs = Math.max(lastArrivalNs, arrivalNs + random.nextLong(config.jitterNs));
            }
            if (config.reorderRate > 0 && random.nextDouble() < config.reorderRate)
            {
                reordered++;
                arrivalNs += config.reorderDelayNs; // does not hold back the ones behind it
            }
            else
            {
                lastArrivalNs = arrivalNs;
            }
            simulation.at(arrivalNs, () -> packet.destination.onArrival(packet));
        }
        if (queue.isEmpty())
        {
            busy = false;
        }
        else
        {
            startTransmission();
        }
    }

    /** @return this direction's settings. */
    public Config config()
    {
        return config;
    }

    /** @return bytes put on the wire (including packets lost on it). */
    public long bytesTransmitted()
    {
        return bytesTransmitted;
    }

    /** @return packets put on the wire. */
    public long packetsTransmitted()
    {
        return packetsTransmitted;
    }

    /** @return packets dropped at the tail of the full queue. */
    public long queueDrops()
    {
        return queueDrops;
    }

    /** @return packets lost on the wire at random. */
    public long randomDrops()
    {
        return randomDrops;
    }

    /** @return packets held back to be overtaken. */
    public long reordered()
    {
        return reordered;
    }

    /** @return the largest queue seen, bytes. */
    public long maxQueuedBytes()
    {
        return maxQueuedBytes;
    }

    /** @return bytes queued now (including the one being serialised). */
    public long queuedBytes()
    {
        return queuedBytes;
    }
}
