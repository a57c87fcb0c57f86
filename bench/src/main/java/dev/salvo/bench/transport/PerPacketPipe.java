/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.salvo.crypto.packet.DataPacketDescriptor;
import dev.salvo.crypto.packet.PacketOpener;
import dev.salvo.crypto.packet.PacketProtection;
import dev.salvo.crypto.packet.PacketSealer;

/**
 * The E1 baseline: what a plain Java per-packet design gets. A sender thread seals one packet at a time with
 * {@link PacketSealer#seal} (the transport's AEAD) into a direct buffer and makes one blocking
 * {@code DatagramChannel.send} per packet; a receiver thread makes one {@code DatagramChannel.receive} per packet
 * and opens it with {@link PacketOpener#open}. No reliability, no flow control: what the sender overruns is lost,
 * and only payload that the receiver opened counts. The receiver publishes its largest packet number, which the
 * sender takes as acknowledged (as a real peer would tell it), so sealing never stops on the unacknowledged limit.
 */
final class PerPacketPipe
{
    private static final int SOCKET_BUFFER = 16 * 1024 * 1024;

    private final int datagram;
    private final AtomicLong payloadDelivered = new AtomicLong();
    private final AtomicLong packetsSent = new AtomicLong();
    private volatile long largestOpened = -1;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private PerPacketPipe(final int datagram)
    {
        this.datagram = datagram;
    }

    static void run(final int datagram, final double warmup, final double seconds, final int runs) throws Exception
    {
        new PerPacketPipe(datagram).measure(warmup, seconds, runs);
    }

    private void measure(final double warmup, final double seconds, final int runs) throws Exception
    {
        final PacketProtection[] session = SealRate.session();
        final InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramChannel receiver = DatagramChannel.open(); DatagramChannel sender = DatagramChannel.open())
        {
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            receiver.bind(new InetSocketAddress(loopback, 0));
            sender.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            sender.bind(new InetSocketAddress(loopback, 0));
            final InetSocketAddress target = (InetSocketAddress)receiver.getLocalAddress();
            final Thread receiveThread = new Thread(() -> receive(receiver, session[1].opener()), "baseline-receiver");
            final Thread sendThread = new Thread(() -> send(sender, target, session[0].sealer()), "baseline-sender");
            receiveThread.start();
            sendThread.start();
            TransportBench.waitFor(warmup);
            for (int run = 0; run < runs && null == failure; run++)
            {
                final long bytes0 = payloadDelivered.get();
                final long sent0 = packetsSent.get();
                final long start = System.nanoTime();
                TransportBench.waitFor(seconds);
                final double elapsed = (System.nanoTime() - start) / 1e9;
                final long bytes = payloadDelivered.get() - bytes0;
                TransportBench.result("baseline", "datagram=" + datagram, "run=" + run, "aead=" + SealRate.aeadName(),
                    "seconds=" + TransportBench.format(elapsed), "packets_sent=" + (packetsSent.get() - sent0),
                    "payload_bytes=" + bytes, "mibps=" + TransportBench.format(bytes / elapsed / (1 << 20)));
            }
            running = false;
            sendThread.join(TimeUnit.SECONDS.toMillis(5));
            receiver.close(); // unblocks the receive
            receiveThread.join(TimeUnit.SECONDS.toMillis(5));
        }
        if (null != failure)
        {
            throw new IllegalStateException("baseline failed", failure);
        }
    }

    private void send(final DatagramChannel channel, final InetSocketAddress target, final PacketSealer sealer)
    {
        final ByteBuffer packet = ByteBuffer.allocateDirect(datagram + 64);
        try
        {
            long sent = 0;
            while (running)
            {
                final int headerLength = sealer.headerLength(1);
                final int payload = datagram - headerLength - DataPacketDescriptor.TAG_LENGTH;
                final int length = sealer.seal(packet, 0, headerLength, payload);
                if (length < 0)
                {
                    throw new IllegalStateException("seal refused: " + length);
                }
                packet.limit(length).position(0);
                channel.send(packet, target);
                packet.clear();
                if (0 == (++sent & 63))
                {
                    packetsSent.lazySet(sent);
                    final long acknowledged = largestOpened;
                    if (acknowledged >= 0)
                    {
                        sealer.onAcknowledged(acknowledged);
                    }
                }
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }

    private void receive(final DatagramChannel channel, final PacketOpener opener)
    {
        final ByteBuffer packet = ByteBuffer.allocateDirect(65_536);
        try
        {
            long delivered = 0;
            while (running)
            {
                packet.clear();
                channel.receive(packet);
                final int payload = opener.open(packet, 0, packet.position());
                if (payload >= 0)
                {
                    delivered += payload;
                    payloadDelivered.lazySet(delivered);
                    largestOpened = opener.largestPacketNumber();
                }
            }
        }
        catch (final ClosedChannelException done)
        {
            // closed by measure(): the end
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = ex;
        }
    }
}
