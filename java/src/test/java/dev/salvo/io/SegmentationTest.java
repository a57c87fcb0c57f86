/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GSO trains (1, 2, 63, 64 segments, with and without a short last one) from every sender kind
 * arrive at every receiver kind as separate datagrams of the right sizes; GRO trains are split
 * back into datagrams.
 */
class SegmentationTest
{
    static final int SEGMENT_SIZE = 1000;

    static Stream<Arguments> trains()
    {
        final Stream.Builder<Arguments> builder = Stream.builder();
        for (final EndpointKind sender : EndpointKind.values())
        {
            for (final EndpointKind receiver : EndpointKind.values())
            {
                for (final int segments : new int[]{1, 2, 63, 64})
                {
                    builder.add(Arguments.of(sender, receiver, segments, false));
                    builder.add(Arguments.of(sender, receiver, segments, true));
                }
            }
        }
        return builder.build();
    }

    @ParameterizedTest(name = "{0} -> {1}, {2} segments, short last {3}")
    @MethodSource("trains")
    void trainArrivesAsSeparateDatagrams(
        final EndpointKind senderKind, final EndpointKind receiverKind, final int segments, final boolean shortLast)
        throws Exception
    {
        try (DatagramEndpoint receiver = receiverKind.open(Loopback.ipv4());
            DatagramEndpoint sender = senderKind.open(Loopback.ipv4()))
        {
            final int lastSize = shortLast ? SEGMENT_SIZE / 2 : SEGMENT_SIZE;
            final int total = (segments - 1) * SEGMENT_SIZE + lastSize;
            final SendBatch batch = new SendBatch(1, total);
            final int offset = batch.addSegmented(Loopback.addressOf(receiver), total, SEGMENT_SIZE);
            for (int i = 0; i < segments; i++)
            {
                Loopback.fill(batch, offset + i * SEGMENT_SIZE, i == segments - 1 ? lastSize : SEGMENT_SIZE, i);
            }
            assertEquals(segments, batch.datagramCount());
            Loopback.sendAll(sender, batch);
            assertEquals(segments, sender.stats().datagramsSent());
            if (sender.capabilities().gso())
            {
                assertEquals(1, sender.stats().sendSyscalls(), "a GSO train is one message");
            }

            final List<Loopback.Received> received =
                Loopback.receive(receiver, receiver.newReceiveBatch(64, SEGMENT_SIZE), segments);
            for (int i = 0; i < segments; i++)
            {
                Loopback.assertPattern(received.get(i).payload, i == segments - 1 ? lastSize : SEGMENT_SIZE, i);
                assertEquals(Loopback.addressOf(sender), received.get(i).source);
            }
            if (sender.capabilities().gso() && receiver.capabilities().gro() && segments > 1)
            {
                assertTrue(receiver.stats().receiveSyscalls() < segments,
                    "GRO delivers the train coalesced: " + receiver.stats());
            }
        }
    }

    @Test
    void largestIpv6GsoTrainIsAccepted() throws Exception
    {
        try (DatagramEndpoint receiver = EndpointKind.GSO_GRO.open(Loopback.ipv6());
            DatagramEndpoint sender = EndpointKind.GSO_GRO.open(Loopback.ipv6()))
        {
            final int total = SendEntryDescriptor.MAX_IPV6_PAYLOAD;
            final int segmentSize = 1100; // 60 segments, the last one 627 bytes
            final int segments = (total + segmentSize - 1) / segmentSize;
            final SendBatch batch = new SendBatch(1, total);
            final int offset = batch.addSegmented(Loopback.addressOf(receiver), total, segmentSize);
            for (int i = 0; i < segments; i++)
            {
                Loopback.fill(batch, offset + i * segmentSize, Math.min(segmentSize, total - i * segmentSize), i);
            }
            Loopback.sendAll(sender, batch);
            final List<Loopback.Received> received = Loopback.receive(receiver, receiver.newReceiveBatch(8, 0), segments);
            for (int i = 0; i < segments; i++)
            {
                Loopback.assertPattern(received.get(i).payload, Math.min(segmentSize, total - i * segmentSize), i);
            }
        }
    }

    @Test
    void coalescingPacksEqualDatagramsPerPeerIntoTrains()
    {
        final PeerAddress a = new PeerAddress().setIpv4(0x7f000001, 1000);
        final PeerAddress b = new PeerAddress().setIpv4(0x7f000001, 2000);
        final SendBatch batch = new SendBatch(16, 200 * 1200);
        for (int i = 0; i < 70; i++)
        {
            batch.addCoalescing(a, 1200);
        }
        batch.addCoalescing(a, 600);  // short: closes the second train
        batch.addCoalescing(a, 1200); // so this starts a third
        batch.addCoalescing(b, 1200); // another peer: its own entry
        assertEquals(4, batch.entryCount());
        // 54 x 1200 = 64,800 is the most that fits the 65,507-byte IPv4 limit.
        assertEquals(54, batch.entrySegmentCount(0));
        assertEquals(1200, batch.entrySegmentSize(0));
        assertEquals(17, batch.entrySegmentCount(1));
        assertEquals(16 * 1200 + 600, batch.entryLength(1));
        assertEquals(1, batch.entrySegmentCount(2));
        assertEquals(b, batch.entryDestination(3, new PeerAddress()));
        assertEquals(73, batch.datagramCount());
    }
}
