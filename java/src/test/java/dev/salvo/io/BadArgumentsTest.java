/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad arguments give Java exceptions before any system call; a closed endpoint throws
 * {@link ClosedChannelException}; nothing crashes the JVM.
 */
class BadArgumentsTest
{
    private static final PeerAddress LOOPBACK = new PeerAddress().setIpv4(0x7f000001, 9);

    @Test
    void sendBatchRejectsBadSizes() throws Exception
    {
        assertThrows(IllegalArgumentException.class, () -> new SendBatch(4, ByteBuffer.allocate(1024)), "heap buffer");
        assertThrows(IllegalArgumentException.class, () -> new SendBatch(0, 1024));
        assertThrows(IllegalArgumentException.class, () -> new SendBatch(4, 0));
        assertThrows(IllegalArgumentException.class, () -> new SendBatch(4, -5));

        final SendBatch batch = new SendBatch(2, 200_000);
        assertThrows(IllegalArgumentException.class, () -> batch.add(LOOPBACK, -1));
        assertThrows(IllegalArgumentException.class, () -> batch.add(LOOPBACK, SendEntryDescriptor.MAX_IPV4_PAYLOAD + 1));
        final PeerAddress v6 = PeerAddress.of(new InetSocketAddress(InetAddress.getByName("::1"), 9));
        assertThrows(IllegalArgumentException.class, () -> batch.add(v6, SendEntryDescriptor.MAX_IPV6_PAYLOAD + 1));
        assertThrows(IllegalArgumentException.class, () -> batch.add(new PeerAddress(), 10), "unset destination");
        assertThrows(IllegalArgumentException.class, () -> batch.addSegmented(LOOPBACK, 65 * 100, 100), "65 segments");
        assertThrows(IllegalArgumentException.class, () -> batch.addSegmented(LOOPBACK, 1000, 0));
        assertThrows(IllegalArgumentException.class, () -> batch.addSegmented(LOOPBACK, 1000, -3));
        assertThrows(IllegalArgumentException.class, () -> batch.addSegmented(LOOPBACK, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> batch.addSegmented(LOOPBACK, 70_000, 1000));
        assertEquals(0, batch.entryCount(), "rejected adds leave the batch untouched");

        batch.add(LOOPBACK, 10);
        batch.add(LOOPBACK, 10);
        assertThrows(IllegalStateException.class, () -> batch.add(LOOPBACK, 10), "entries full");
        final SendBatch small = new SendBatch(4, 100);
        small.add(LOOPBACK, 60);
        assertThrows(IllegalStateException.class, () -> small.add(LOOPBACK, 60), "data full");
        assertThrows(IndexOutOfBoundsException.class, () -> small.entryLength(1));
    }

    @Test
    void receiveBatchRejectsBadSizes()
    {
        assertThrows(IllegalArgumentException.class, () -> new ReceiveBatch(0, 1500));
        assertThrows(IllegalArgumentException.class, () -> new ReceiveBatch(1025, 1500));
        assertThrows(IllegalArgumentException.class, () -> new ReceiveBatch(4, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReceiveBatch(4, ReceiveSlotDescriptor.GRO_SLOT_CAPACITY + 1));
        final ReceiveBatch batch = new ReceiveBatch(4, 1500);
        assertThrows(IndexOutOfBoundsException.class, () -> batch.length(0));
        assertThrows(IllegalArgumentException.class, () -> new EndpointConfig(Loopback.ipv4()).sendBufferSize(-1));
        assertThrows(IllegalArgumentException.class,
            () -> new EndpointConfig(InetSocketAddress.createUnresolved("localhost", 1)));
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void endpointRejectsWrongFamilyAndNegativeTimeout(final EndpointKind kind) throws Exception
    {
        try (DatagramEndpoint endpoint = kind.open(Loopback.ipv4()))
        {
            final SendBatch batch = new SendBatch(1, 100);
            batch.add(PeerAddress.of(new InetSocketAddress(InetAddress.getByName("::1"), 9)), 10);
            assertThrows(IllegalArgumentException.class, () -> endpoint.send(batch), "IPv6 peer on IPv4 socket");
            assertEquals(0, endpoint.stats().sendSyscalls(), "rejected before any system call");
            assertThrows(IllegalArgumentException.class, () -> endpoint.awaitReadable(-1));
            if (endpoint.capabilities().gro())
            {
                assertThrows(IllegalArgumentException.class, () -> endpoint.receive(new ReceiveBatch(4, 1500)),
                    "GRO needs slots that hold a train");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void closedEndpointThrowsClosedChannelException(final EndpointKind kind) throws Exception
    {
        final DatagramEndpoint endpoint = kind.open(Loopback.ipv4());
        final PeerAddress self = Loopback.addressOf(endpoint);
        endpoint.close();
        endpoint.close(); // idempotent
        assertTrue(endpoint.isClosed());
        final SendBatch batch = new SendBatch(1, 100);
        batch.add(self, 10);
        assertThrows(ClosedChannelException.class, () -> endpoint.send(batch));
        assertThrows(ClosedChannelException.class, () -> endpoint.receive(endpoint.newReceiveBatch(4, 100)));
        assertThrows(ClosedChannelException.class, () -> endpoint.awaitReadable(1_000));
        assertFalse(batch.isFullySent(), "nothing was consumed");
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void closeWakesAThreadWaitingForReadability(final EndpointKind kind) throws Exception
    {
        final DatagramEndpoint endpoint = kind.open(Loopback.ipv4());
        final Throwable[] outcome = new Throwable[1];
        final Thread waiter = new Thread(() ->
        {
            try
            {
                endpoint.awaitReadable(60_000_000_000L);
                outcome[0] = new AssertionError("returned without an exception");
            }
            catch (final Throwable ex)
            {
                outcome[0] = ex;
            }
        });
        waiter.start();
        // Close until the waiter has left; it may not have reached the kernel wait on the first close.
        final long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS;
        endpoint.close();
        waiter.join(Loopback.TIMEOUT_NANOS / 1_000_000);
        assertFalse(waiter.isAlive(), "the waiter was woken by close");
        assertTrue(System.nanoTime() < deadline);
        assertTrue(outcome[0] instanceof ClosedChannelException, "outcome: " + outcome[0]);
    }
}
