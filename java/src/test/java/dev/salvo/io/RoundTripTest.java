/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sender/receiver pairing of NIO, batch system calls and GSO/GRO, on IPv4 and IPv6 loopback.
 */
class RoundTripTest
{
    static final int LOOPBACK_MAX_IPV6_UNFRAGMENTED = 65_536 - 48;

    static Stream<Arguments> pairingsAndSizes()
    {
        final Stream.Builder<Arguments> builder = Stream.builder();
        for (final EndpointKind sender : EndpointKind.values())
        {
            for (final EndpointKind receiver : EndpointKind.values())
            {
                for (final int size : new int[]{1, 1200, 1472, 8192, 65_507})
                {
                    builder.add(Arguments.of(sender, receiver, size));
                }
            }
        }
        return builder.build();
    }

    static Stream<Arguments> pairings()
    {
        final Stream.Builder<Arguments> builder = Stream.builder();
        for (final EndpointKind sender : EndpointKind.values())
        {
            for (final EndpointKind receiver : EndpointKind.values())
            {
                builder.add(Arguments.of(sender, receiver));
            }
        }
        return builder.build();
    }

    /** Datagrams per round so a round fits any receive buffer a CI host grants (≥ 200 KiB). */
    static int perRound(final int size)
    {
        return Math.max(1, Math.min(32, 96 * 1024 / Math.max(size, 1024)));
    }

    @ParameterizedTest(name = "{0} -> {1}, {2} bytes")
    @MethodSource("pairingsAndSizes")
    void ipv4DatagramsArriveIntactWithSenderAddress(
        final EndpointKind senderKind, final EndpointKind receiverKind, final int size) throws Exception
    {
        roundTrip(senderKind, receiverKind, size, false);
    }

    @ParameterizedTest(name = "{0} -> {1}, IPv6")
    @MethodSource("pairings")
    void ipv6DatagramsArriveIntactWithSenderAddress(final EndpointKind senderKind, final EndpointKind receiverKind)
        throws Exception
    {
        roundTrip(senderKind, receiverKind, 1200, true);
        // Loopback's MTU is 65,536: 65,488 + 8 (UDP) + 40 (IPv6) is the largest unfragmented datagram.
        roundTrip(senderKind, receiverKind, LOOPBACK_MAX_IPV6_UNFRAGMENTED, true);
    }

    private static void roundTrip(
        final EndpointKind senderKind, final EndpointKind receiverKind, final int size, final boolean ipv6)
        throws Exception
    {
        try (DatagramEndpoint receiver = receiverKind.open(ipv6 ? Loopback.ipv6() : Loopback.ipv4());
            DatagramEndpoint sender = senderKind.open(ipv6 ? Loopback.ipv6() : Loopback.ipv4()))
        {
            final PeerAddress destination = Loopback.addressOf(receiver);
            final PeerAddress senderAddress = Loopback.addressOf(sender);
            final int count = perRound(size);
            final SendBatch batch = new SendBatch(count, count * size);
            final ReceiveBatch receiveBatch = receiver.newReceiveBatch(count, size);
            for (int round = 0; round < 3; round++)
            {
                batch.clear();
                for (int id = 0; id < count; id++)
                {
                    // Coalescing packs equal-sized datagrams into GSO trains where the sender has GSO.
                    final int offset = batch.addCoalescing(destination, size);
                    Loopback.fill(batch, offset, size, round * count + id);
                }
                final long syscallsBefore = sender.stats().sendSyscalls();
                Loopback.sendAll(sender, batch);
                if (sender.capabilities().batchSyscalls())
                {
                    assertEquals(1, sender.stats().sendSyscalls() - syscallsBefore, "one sendmmsg per batch");
                }

                final List<Loopback.Received> received = Loopback.receive(receiver, receiveBatch, count);
                for (int id = 0; id < count; id++)
                {
                    final Loopback.Received datagram = received.get(id);
                    Loopback.assertPattern(datagram.payload, size, round * count + id);
                    assertEquals(senderAddress, datagram.source, "source address");
                }
            }
            assertEquals(3L * count, sender.stats().datagramsSent());
            assertEquals(3L * count, receiver.stats().datagramsReceived());
            assertEquals(3L * count * size, receiver.stats().bytesReceived());
            assertEquals(0, receiver.stats().truncated());
            assertTrue(receiver.receive(receiveBatch) == 0, "nothing extra arrives");
        }
    }
}
