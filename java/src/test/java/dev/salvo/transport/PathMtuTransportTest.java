/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.salvo.Connection;
import dev.salvo.ConnectionStats;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.transport.pmtu.InterfaceMtu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Path MTU discovery over real loopback sockets (MTU 65536, capped at 9000): the default ("auto") maximum makes a
 * connection settle at 9000 - 28 = 8972 bytes and send its bulk data in datagrams of that size, on the native path
 * and the NIO fallback; equal bounds keep a fixed size.
 */
class PathMtuTransportTest
{
    private static final long WAIT = 30;
    private static final int MESSAGES = 8;
    private static final int MESSAGE_LENGTH = 1 << 20;

    @Test
    void theInterfaceMtuOfLoopbackIsCappedAtJumboFrames()
    {
        final InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        assertTrue(InterfaceMtu.interfaceMtu(peer) >= 9000, "loopback MTU " + InterfaceMtu.interfaceMtu(peer));
        assertEquals(9000 - InterfaceMtu.IPV4_OVERHEAD, InterfaceMtu.maxDatagramSize(peer));
        assertEquals(8972, new TransportConfig(peer, StaticKeyPair.generate()).resolvedMaxDatagramSize());
    }

    @Test
    void ipv6LeavesRoomForItsLongerHeader() throws Exception
    {
        final InetAddress ipv6Loopback = InetAddress.getByName("::1");
        assumeTrue(InterfaceMtu.interfaceMtu(new InetSocketAddress(ipv6Loopback, 9)) >= 9000, "no IPv6 loopback here");
        assertEquals(9000 - InterfaceMtu.IPV6_OVERHEAD, InterfaceMtu.maxDatagramSize(new InetSocketAddress(ipv6Loopback, 9)));
    }

    @Test
    void anAddressWithoutInterfaceFallsBackToEthernet()
    {
        assertEquals(InterfaceMtu.FALLBACK_MTU, InterfaceMtu.interfaceMtu(InetSocketAddress.createUnresolved("nowhere.invalid", 9)));
    }

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void aLoopbackConnectionSettlesAtTheJumboSize(final TransportFixture.Io io) throws Exception
    {
        final Bulk stats = transfer(io, 0, 0);
        assertEquals(8972, stats.pathMtu(), stats.toString());
        // Bulk data goes at the discovered size: the average datagram (ACKs and the first packets at 1200
        // included) is far above the 1200-byte base.
        final double average = (double)stats.bytesSent() / stats.packetsSent();
        assertTrue(average > 8000, "average datagram " + average + " bytes");
    }

    @Test
    void equalBoundsKeepAFixedSize() throws Exception
    {
        final Bulk stats = transfer(TransportFixture.Io.NATIVE, 1472, 1472);
        assertEquals(1472, stats.pathMtu());
        final double average = (double)stats.bytesSent() / stats.packetsSent();
        assertTrue(average <= 1472 && average > 1400, "average datagram " + average + " bytes");
    }

    private static Bulk transfer(final TransportFixture.Io io, final int min, final int max) throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final TransportConfig serverConfig = io.apply(TransportFixture.config(serverKey).acceptHandler(serverHandler));
            final TransportConfig clientConfig = io.apply(TransportFixture.config(StaticKeyPair.generate()));
            if (0 != max)
            {
                serverConfig.minDatagramSize(min).maxDatagramSize(max);
                clientConfig.minDatagramSize(min).maxDatagramSize(max);
            }
            final Transport server = fixture.open(serverConfig);
            final Transport client = fixture.open(clientConfig);
            final RecordingHandler clientHandler = new RecordingHandler();
            final Connection connection =
                client.connect(server.localAddress(), serverKey.publicKey(), clientHandler).get(WAIT, TimeUnit.SECONDS);
            // A small message first: its acknowledgement gives the RTT sample that starts the search.
            connection.send(new byte[100], WAIT, TimeUnit.SECONDS);
            serverHandler.nextMessage();
            clientHandler.nextAcknowledged();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
            while (connection.stats().pathMtu() != (0 == max ? 8972 : max) && System.nanoTime() - deadline < 0)
            {
                connection.send(new byte[100], WAIT, TimeUnit.SECONDS);
                serverHandler.nextMessage();
            }
            final long packetsBefore = connection.stats().packetsSent();
            final long bytesBefore = connection.stats().bytesSent();
            final byte[] message = new byte[MESSAGE_LENGTH];
            new Random(7).nextBytes(message);
            for (int i = 0; i < MESSAGES; i++)
            {
                connection.send(message, WAIT, TimeUnit.SECONDS);
            }
            for (int i = 0; i < MESSAGES; i++)
            {
                assertEquals(MESSAGE_LENGTH, serverHandler.nextMessage().length);
            }
            final ConnectionStats stats = connection.stats();
            final long packets = stats.packetsSent() - packetsBefore;
            final long bytes = stats.bytesSent() - bytesBefore;
            final long pathMtu = stats.pathMtu();
            return new Bulk(packets, bytes, pathMtu);
        }
    }

    /** The figures of the bulk phase only. */
    private record Bulk(long packetsSent, long bytesSent, long pathMtu)
    {
    }
}
