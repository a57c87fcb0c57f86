/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import dev.salvo.transport.ConnectionSettings;
import dev.salvo.transport.ReliableConnectionCore;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One side of a simulated connection, driving its {@link ReliableConnectionCore} the way
 * {@code TransportEngine} does: packets in through {@code onPacket}, then a service turn — due timers
 * ({@code nextTimerDeadlineNs}/{@code onTimer}), the application's sends, and while {@code hasDataToSend}
 * bursts of up to {@link #BURST} packets from {@code writePacket} — and a wake-up at the next timer
 * deadline. Anything that gates sending inside the core (congestion window, flow control, a pacer) thus
 * acts here unchanged. Stands in for the crypto layer: the packet number travels beside the plaintext.
 */
public final class SimulatedEndpoint implements SimulatedLink.Receiver, SimulatedLink.Sender
{
    /** Packets per burst: the engine's default {@code connectionBurst} (one GSO train). */
    public static final int BURST = 64;
    /** Packets written per service turn before yielding to other events (the engine's cycle moves on). */
    public static final int MAX_PACKETS_PER_TURN = 16 * BURST;
    /** Delay of a follow-up turn (a timer already due, or a turn cut short), ns: an engine duty cycle. */
    public static final long TURN_NS = 1_000L;

    private final Simulation simulation;
    private final ReliableConnectionCore core;
    private final int maxPlaintext;
    private final UnsafeBuffer scratch;
    private final Runnable beforeSend;
    private SimulatedLink out;
    private SimulatedLink.Receiver peer;
    private long nextPacketNumber;
    private boolean serviceScheduled;
    private long timerAtNs = Long.MAX_VALUE;
    private long packetsWritten;
    private long linkDrops;

    /**
     * @param core       the protocol under test.
     * @param settings   its settings (max datagram size).
     * @param beforeSend the application's turn (offers messages), run before the core writes.
     */
    public SimulatedEndpoint(
        final Simulation simulation, final ReliableConnectionCore core, final ConnectionSettings settings,
        final Runnable beforeSend)
    {
        this.simulation = simulation;
        this.core = core;
        this.maxPlaintext = settings.maxDatagramSize() - ConnectionSettings.PACKET_OVERHEAD;
        this.scratch = new UnsafeBuffer(new byte[maxPlaintext]);
        this.beforeSend = beforeSend;
    }

    /** Sends through {@code out} to {@code peer}. */
    public void connect(final SimulatedLink out, final SimulatedLink.Receiver peer)
    {
        this.out = out;
        this.peer = peer;
    }

    @Override
    public void onArrival(final SimulatedLink.Packet packet)
    {
        core.onPacket(new UnsafeBuffer(packet.plaintext), 0, packet.plaintext.length, packet.packetNumber, simulation.nowNs());
        requestService();
    }

    /** Schedules a service turn now (after the events already due at this instant: a receive batch). */
    public void requestService()
    {
        if (!serviceScheduled)
        {
            serviceScheduled = true;
            simulation.at(simulation.nowNs(), this::service);
        }
    }

    private void service()
    {
        serviceScheduled = false;
        final long nowNs = simulation.nowNs();
        if (nowNs - core.nextTimerDeadlineNs() >= 0)
        {
            core.onTimer(nowNs);
        }
        int written = 0;
        while (written < MAX_PACKETS_PER_TURN)
        {
            beforeSend.run();
            if (!core.hasDataToSend(nowNs))
            {
                break;
            }
            int burst = 0;
            while (burst < BURST)
            {
                final int length = core.writePacket(scratch, 0, maxPlaintext, nextPacketNumber, nowNs);
                if (length <= 0)
                {
                    break;
                }
                final byte[] plaintext = new byte[length];
                scratch.getBytes(0, plaintext);
                out.send(new SimulatedLink.Packet(
                    this, peer, nextPacketNumber, plaintext,
                    length + ConnectionSettings.PACKET_OVERHEAD + SimulatedLink.IP_UDP_OVERHEAD));
                nextPacketNumber++;
                burst++;
            }
            written += burst;
            packetsWritten += burst;
            if (burst < BURST)
            {
                break;
            }
        }
        if (written >= MAX_PACKETS_PER_TURN)
        {
            serviceScheduled = true;
            simulation.at(nowNs + TURN_NS, this::service);
        }
        armTimer(nowNs);
    }

    private void armTimer(final long nowNs)
    {
        final long deadlineNs = core.nextTimerDeadlineNs();
        if (deadlineNs == Long.MAX_VALUE)
        {
            return;
        }
        final long atNs = Math.max(deadlineNs, nowNs + TURN_NS);
        if (atNs < timerAtNs)
        {
            timerAtNs = atNs;
            simulation.at(atNs, () ->
            {
                if (timerAtNs == atNs)
                {
                    timerAtNs = Long.MAX_VALUE;
                    service();
                }
            });
        }
    }

    @Override
    public void onLinkDrop()
    {
        linkDrops++;
    }

    /** @return the core. */
    public ReliableConnectionCore core()
    {
        return core;
    }

    /** @return packets this side wrote. */
    public long packetsWritten()
    {
        return packetsWritten;
    }

    /** @return this side's packets that a link dropped (queue or wire). */
    public long linkDrops()
    {
        return linkDrops;
    }
}
