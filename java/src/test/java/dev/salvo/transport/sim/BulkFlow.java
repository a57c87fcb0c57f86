/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import java.util.BitSet;

import dev.salvo.CloseReason;
import dev.salvo.transport.ConnectionCoreListener;
import dev.salvo.transport.ConnectionSettings;
import dev.salvo.transport.ReliableConnectionCore;
import dev.salvo.transport.message.OutboundMessages;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A bulk transfer over one simulated connection: the sender's application keeps the core full (a backlog
 * of equal messages offered until {@code send} reports full) from its start time until its stop time; the
 * receiver checks every message (length and the sequence number stamped at both ends) and counts each
 * one, so duplicates, corruption and losses are seen. Samples cumulative figures for {@link FlowMetrics}.
 */
public final class BulkFlow
{
    private final String name;
    private final Simulation simulation;
    private final ConnectionSettings settings;
    private final int messageLength;
    private final long startNs;
    private long stopNs;
    private final long maxOutstandingMessages;
    private final UnsafeBuffer message;
    private final SimulatedEndpoint sender;
    private final SimulatedEndpoint receiver;
    private final BitSet delivered = new BitSet();
    private final FlowMetrics metrics = new FlowMetrics();
    private long messagesSent;
    private long messagesAcknowledged;
    private long messagesDelivered;
    private long bytesDelivered;
    private long duplicates;
    private long corrupt;
    private long lastDeliveryNs = -1;
    private long maxDeliveryGapNs;
    private long bytesReceived;
    private long lastProgressNs = -1;
    private long maxStallNs;
    private CloseReason closed;

    /**
     * @param controller    the sender's congestion controller.
     * @param messageLength bytes per message (at least 16).
     * @param startNs       when the application starts sending.
     * @param stopNs        when it stops offering new messages.
     * @param maxOutstandingBytes the application keeps at most this many bytes of messages offered but not
     *                      yet acknowledged (whole messages; {@link Long#MAX_VALUE}: only the core's limit).
     */
    public BulkFlow(
        final String name, final Simulation simulation, final ConnectionSettings settings,
        final CongestionControlFactory controller, final int messageLength, final long startNs, final long stopNs,
        final long maxOutstandingBytes)
    {
        if (messageLength < 16)
        {
            throw new IllegalArgumentException("messageLength < 16");
        }
        this.name = name;
        this.simulation = simulation;
        this.settings = settings;
        this.messageLength = messageLength;
        this.startNs = startNs;
        this.stopNs = stopNs;
        this.maxOutstandingMessages = Math.max(1, maxOutstandingBytes / messageLength);
        this.message = new UnsafeBuffer(new byte[messageLength]);
        final ReliableConnectionCore senderCore =
            new ReliableConnectionCore(settings, new SenderListener(), controller.newController(settings), startNs);
        final ReliableConnectionCore receiverCore =
            new ReliableConnectionCore(settings, new ReceiverListener(), startNs); // sends only ACKs
        this.sender = new SimulatedEndpoint(simulation, senderCore, settings, this::offerMessages);
        this.receiver = new SimulatedEndpoint(simulation, receiverCore, settings, this::onReceiverTurn);
    }

    /** Joins the flow to a path: data over {@code forward}, ACKs back over {@code reverse}; schedules its start. */
    public void attach(final SimulatedLink forward, final SimulatedLink reverse)
    {
        sender.connect(forward, receiver);
        receiver.connect(reverse, sender);
        simulation.at(startNs, sender::requestService);
    }

    private void offerMessages()
    {
        final long nowNs = simulation.nowNs();
        if (nowNs < startNs || nowNs >= stopNs || closed != null)
        {
            return;
        }
        final ReliableConnectionCore core = sender.core();
        while (messagesSent - messagesAcknowledged < maxOutstandingMessages)
        {
            message.putLong(0, messagesSent);
            message.putLong(messageLength - 8, messagesSent);
            if (core.send(message, 0, messageLength, false) == OutboundMessages.FULL)
            {
                return;
            }
            messagesSent++;
        }
    }

    private void onReceiverTurn()
    {
        final long received = receiver.core().receiveFlow().received();
        if (received != bytesReceived)
        {
            final long nowNs = simulation.nowNs();
            maxStallNs = Math.max(maxStallNs, nowNs - (lastProgressNs < 0 ? startNs : lastProgressNs));
            lastProgressNs = nowNs;
            bytesReceived = received;
        }
    }

    /** Stops offering new messages now (what was offered is still delivered). */
    public void stop()
    {
        stopNs = Math.min(stopNs, simulation.nowNs());
    }

    /** Records this flow's cumulative figures at the current time (a {@link Simulation#sampleEvery} hook). */
    public void sample()
    {
        final ReliableConnectionCore core = sender.core();
        metrics.add(
            simulation.nowNs(), receiver.core().receiveFlow().received(), core.recovery().packetsSent(), core.packetsRetransmitted(),
            core.recovery().packetsLost(), sender.linkDrops(), core.congestionControl().congestionWindow(),
            core.recovery().bytesInFlight(), core.rtt().hasSample() ? core.rtt().smoothedRttNs() : 0);
    }

    /** @return whether everything offered was delivered and acknowledged. */
    public boolean isComplete()
    {
        return messagesAcknowledged == messagesSent && messagesDelivered == messagesSent;
    }

    private final class SenderListener implements ConnectionCoreListener
    {
        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            corrupt++; // the receiver sends nothing
        }

        @Override
        public void onMessageAcknowledged(final long messageId)
        {
            messagesAcknowledged++;
        }

        @Override
        public void onClosed(final CloseReason reason)
        {
            closed = reason;
        }
    }

    private final class ReceiverListener implements ConnectionCoreListener
    {
        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            final long sequence = length == messageLength ? buffer.getLong(offset) : -1;
            if (sequence < 0 || sequence >= messagesSent || buffer.getLong(offset + length - 8) != sequence)
            {
                corrupt++;
                return;
            }
            if (delivered.get((int)sequence))
            {
                duplicates++;
                return;
            }
            delivered.set((int)sequence);
            messagesDelivered++;
            bytesDelivered += length;
            final long nowNs = simulation.nowNs();
            maxDeliveryGapNs = Math.max(maxDeliveryGapNs, nowNs - (lastDeliveryNs < 0 ? startNs : lastDeliveryNs));
            lastDeliveryNs = nowNs;
        }

        @Override
        public void onMessageAcknowledged(final long messageId)
        {
        }

        @Override
        public void onClosed(final CloseReason reason)
        {
            closed = reason;
        }
    }

    /** @return the flow's name. */
    public String name()
    {
        return name;
    }

    /** @return the sampled figures. */
    public FlowMetrics metrics()
    {
        return metrics;
    }

    /** @return the sending side. */
    public SimulatedEndpoint sender()
    {
        return sender;
    }

    /** @return the receiving side. */
    public SimulatedEndpoint receiver()
    {
        return receiver;
    }

    /** @return messages offered and taken by the core. */
    public long messagesSent()
    {
        return messagesSent;
    }

    /** @return distinct messages delivered intact. */
    public long messagesDelivered()
    {
        return messagesDelivered;
    }

    /** @return messages acknowledged to the sender's application. */
    public long messagesAcknowledged()
    {
        return messagesAcknowledged;
    }

    /** @return application bytes delivered (distinct messages). */
    public long bytesDelivered()
    {
        return bytesDelivered;
    }

    /** @return messages delivered more than once. */
    public long duplicates()
    {
        return duplicates;
    }

    /** @return messages delivered with the wrong length or content. */
    public long corrupt()
    {
        return corrupt;
    }

    /** @return the longest time between two deliveries (from the start), ns. */
    public long maxDeliveryGapNs()
    {
        return maxDeliveryGapNs;
    }

    /**
     * @return the longest time the receiver got no new message bytes while the flow had some outstanding
     * (from the start to the last new byte), ns.
     */
    public long maxStallNs()
    {
        return maxStallNs;
    }

    /** @return why a side closed, or null while open. */
    public CloseReason closed()
    {
        return closed;
    }

    /** @return when the application starts sending, ns. */
    public long startNs()
    {
        return startNs;
    }
}
