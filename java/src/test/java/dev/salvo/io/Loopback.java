/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Test helpers: loopback addresses, bounded send/receive loops, payload patterns.
 */
final class Loopback
{
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Loopback()
    {
    }

    static InetSocketAddress ipv4()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    static InetSocketAddress ipv6()
    {
        assumeIpv6();
        try
        {
            return new InetSocketAddress(InetAddress.getByName("::1"), 0);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static void assumeIpv6()
    {
        boolean available;
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET6))
        {
            channel.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            available = true;
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            available = false;
        }
        assumeTrue(available, "IPv6 loopback (::1) unavailable on this host");
    }

    /** The address a peer reaches an endpoint at (its bound loopback address). */
    static PeerAddress addressOf(final DatagramEndpoint endpoint)
    {
        return PeerAddress.of(endpoint.localAddress());
    }

    /** Sends the whole batch, bounded in time. */
    static void sendAll(final DatagramEndpoint endpoint, final SendBatch batch) throws IOException
    {
        final long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!batch.isFullySent())
        {
            endpoint.send(batch);
            assertTrue(System.nanoTime() < deadline, "send did not complete in time");
        }
    }

    /** A received datagram copied out of its batch. */
    static final class Received
    {
        final byte[] payload;
        final PeerAddress source;

        Received(final byte[] payload, final PeerAddress source)
        {
            this.payload = payload;
            this.source = source;
        }
    }

    /** Receives exactly {@code count} datagrams (fails on more within the batch or on timeout). */
    static List<Received> receive(final DatagramEndpoint endpoint, final ReceiveBatch batch, final int count)
        throws IOException
    {
        final List<Received> received = new ArrayList<>();
        final long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (received.size() < count)
        {
            final long remaining = deadline - System.nanoTime();
            assertTrue(remaining > 0, "received " + received.size() + " of " + count + " datagrams before timeout");
            final int n = endpoint.receive(batch);
            if (0 == n)
            {
                endpoint.awaitReadable(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(200)));
                continue;
            }
            for (int i = 0; i < n; i++)
            {
                final byte[] payload = new byte[batch.length(i)];
                batch.buffer().getBytes(batch.offset(i), payload);
                received.add(new Received(payload, batch.source(i).copy()));
            }
        }
        assertEquals(count, received.size(), "datagram count");
        return received;
    }

    /** Fills {@code length} bytes with a pattern identifying datagram {@code id}. */
    static void fill(final SendBatch batch, final int offset, final int length, final int id)
    {
        for (int i = 0; i < length; i++)
        {
            batch.buffer().putByte(offset + i, pattern(id, i));
        }
    }

    static byte pattern(final int id, final int index)
    {
        return (byte)(id * 31 + index * 7 + (index >>> 8));
    }

    static void assertPattern(final byte[] payload, final int expectedLength, final int id)
    {
        assertEquals(expectedLength, payload.length, "length of datagram " + id);
        for (int i = 0; i < payload.length; i++)
        {
            if (payload[i] != pattern(id, i))
            {
                throw new AssertionError("datagram " + id + " differs at byte " + i);
            }
        }
    }
}
