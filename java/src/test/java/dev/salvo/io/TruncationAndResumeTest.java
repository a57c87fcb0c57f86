/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Truncated datagrams are dropped and counted, never passed up; a batch larger than one system
 * call resumes exactly where the last call stopped, even in the middle of a train.
 */
class TruncationAndResumeTest
{
    @ParameterizedTest
    @EnumSource(value = EndpointKind.class, names = {"NIO", "MMSG"})
    void datagramLongerThanItsSlotIsDroppedAndCounted(final EndpointKind receiverKind) throws Exception
    {
        try (DatagramEndpoint receiver = receiverKind.open(Loopback.ipv4());
            DatagramEndpoint sender = EndpointKind.NIO.open(Loopback.ipv4()))
        {
            final PeerAddress destination = Loopback.addressOf(receiver);
            final SendBatch batch = new SendBatch(3, 3000);
            Loopback.fill(batch, batch.add(destination, 100), 100, 1);
            Loopback.fill(batch, batch.add(destination, 1001), 1001, 2); // one byte too long for the slot
            Loopback.fill(batch, batch.add(destination, 1000), 1000, 3); // exactly fits
            Loopback.sendAll(sender, batch);

            final ReceiveBatch slots = new ReceiveBatch(4, 1000);
            final List<Loopback.Received> received = Loopback.receive(receiver, slots, 2);
            Loopback.assertPattern(received.get(0).payload, 100, 1);
            Loopback.assertPattern(received.get(1).payload, 1000, 3);
            assertEquals(1, receiver.stats().truncated());
            assertEquals(2, receiver.stats().datagramsReceived());
        }
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void batchBeyondOneCallResumesMidTrain(final EndpointKind senderKind) throws Exception
    {
        // 80 trains x 17 segments = 1,360 datagrams: more than the shim's 1,024 messages per call
        // without GSO, so a call ends inside a train and the next one resumes at that segment.
        final int trains = 80;
        final int segments = 17;
        final int size = 8;
        // The receiver reads only after everything was sent, so its socket must queue all 1,360 datagrams: Linux
        // charges an 8-byte one 832 bytes (measured), 1.13 MB in all. The test asks for that buffer itself rather
        // than rely on the endpoint's default request: a default host's cap (rmem_max 212,992, reported 425,984)
        // held 512 and the receive waited for the rest until it timed out.
        final int needed = trains * segments * 832;
        try (DatagramEndpoint receiver = EndpointKind.MMSG.open(
                new EndpointConfig(Loopback.ipv4()).receiveBufferSize(4 * needed).socketBufferForce(true));
            DatagramEndpoint sender = senderKind.open(Loopback.ipv4()))
        {
            assumeTrue(receiver.receiveBufferSize() >= needed + needed / 4, () -> "socket receive buffer " +
                receiver.receiveBufferSize() + " cannot queue the batch (needs CAP_NET_ADMIN or net.core.rmem_max >= " +
                needed + ")");
            final SendBatch batch = new SendBatch(trains, trains * segments * size);
            for (int t = 0; t < trains; t++)
            {
                final int offset = batch.addSegmented(Loopback.addressOf(receiver), segments * size, size);
                for (int s = 0; s < segments; s++)
                {
                    batch.buffer().putLong(offset + s * size, (long)t * segments + s);
                }
            }
            Loopback.sendAll(sender, batch);
            assertTrue(batch.isFullySent());
            assertEquals((long)trains * segments, sender.stats().datagramsSent());

            final List<Loopback.Received> received =
                Loopback.receive(receiver, new ReceiveBatch(256, 64), trains * segments);
            for (int i = 0; i < received.size(); i++)
            {
                assertEquals(i, new org.agrona.concurrent.UnsafeBuffer(received.get(i).payload).getLong(0), "order");
            }
        }
    }

    @Test
    void advanceTracksSegmentsWithoutGsoAndEntriesWithIt()
    {
        final PeerAddress peer = new PeerAddress().setIpv4(0x7f000001, 9);
        final SendBatch batch = new SendBatch(4, 10_000);
        batch.addSegmented(peer, 3 * 100, 100);
        batch.add(peer, 50);
        assertEquals(0, batch.advance(2, false));
        assertEquals(0, batch.position());
        assertEquals(2, batch.segmentPosition());
        assertEquals(1, batch.advance(1, false));
        assertEquals(1, batch.position());
        assertEquals(1, batch.advance(1, false));
        assertTrue(batch.isFullySent());

        batch.rewind();
        assertEquals(2, batch.advance(2, true));
        assertEquals(4, batch.lastAdvanceDatagrams());
        assertEquals(350, batch.lastAdvanceBytes());

        batch.rewind();
        batch.skipEntry();
        assertEquals(1, batch.position());
        batch.clear();
        assertEquals(0, batch.entryCount());
        assertFalse(batch.positionIsGsoTrain());
    }
}
