/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One unconnected socket serving many peers: a destination per datagram, the source per received
 * datagram, GSO trains for several peers in one send call.
 */
class ManyPeersTest
{
    static final int PEERS = 8;
    static final int PER_PEER = 5;
    static final int SIZE = 1200;

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void hubAnswersEveryPeerAtItsAddress(final EndpointKind hubKind) throws Exception
    {
        final List<DatagramEndpoint> peers = new ArrayList<>();
        try (DatagramEndpoint hub = hubKind.open(Loopback.ipv4()))
        {
            for (int p = 0; p < PEERS; p++)
            {
                peers.add(EndpointKind.values()[p % EndpointKind.values().length].open(Loopback.ipv4()));
            }

            // Each peer sends its index; the hub must see every peer's own address.
            for (int p = 0; p < PEERS; p++)
            {
                final SendBatch hello = new SendBatch(1, 4);
                hello.buffer().putInt(hello.add(Loopback.addressOf(hub), 4), p);
                Loopback.sendAll(peers.get(p), hello);
            }
            final Map<PeerAddress, Integer> seen = new HashMap<>();
            for (final Loopback.Received datagram : Loopback.receive(hub, hub.newReceiveBatch(16, 64), PEERS))
            {
                final int p = org.agrona.concurrent.UnsafeBuffer.class.cast(
                    new org.agrona.concurrent.UnsafeBuffer(datagram.payload)).getInt(0);
                assertEquals(Loopback.addressOf(peers.get(p)), datagram.source, "source of peer " + p);
                seen.put(datagram.source, p);
            }
            assertEquals(PEERS, seen.size());

            // The hub answers all peers in one batch (trains per peer where it has GSO).
            final SendBatch replies = new SendBatch(PEERS * PER_PEER, PEERS * PER_PEER * SIZE);
            for (final Map.Entry<PeerAddress, Integer> entry : seen.entrySet())
            {
                for (int i = 0; i < PER_PEER; i++)
                {
                    Loopback.fill(replies, replies.addCoalescing(entry.getKey(), SIZE), SIZE, entry.getValue() * 100 + i);
                }
            }
            final long syscallsBefore = hub.stats().sendSyscalls();
            Loopback.sendAll(hub, replies);
            if (hub.capabilities().gso())
            {
                assertEquals(PEERS, replies.entryCount(), "one GSO train per peer");
            }
            if (hub.capabilities().batchSyscalls())
            {
                assertEquals(1, hub.stats().sendSyscalls() - syscallsBefore, "all peers in one sendmmsg");
            }

            for (int p = 0; p < PEERS; p++)
            {
                final DatagramEndpoint peer = peers.get(p);
                final List<Loopback.Received> received =
                    Loopback.receive(peer, peer.newReceiveBatch(PER_PEER, SIZE), PER_PEER);
                for (int i = 0; i < PER_PEER; i++)
                {
                    Loopback.assertPattern(received.get(i).payload, SIZE, p * 100 + i);
                    assertEquals(Loopback.addressOf(hub), received.get(i).source);
                }
            }
        }
        finally
        {
            peers.forEach(DatagramEndpoint::close);
        }
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void dualStackSocketServesIpv4PeersUnderTheirIpv4Address(final EndpointKind kind) throws Exception
    {
        Loopback.assumeIpv6();
        try (DatagramEndpoint hub = kind.open(new InetSocketAddress(InetAddress.getByName("::"), 0));
            DatagramEndpoint peer = kind.open(Loopback.ipv4()))
        {
            final PeerAddress hubAddress = new PeerAddress().setIpv4(0x7f000001, hub.localAddress().getPort());
            final SendBatch batch = new SendBatch(1, SIZE);
            Loopback.fill(batch, batch.add(hubAddress, SIZE), SIZE, 1);
            Loopback.sendAll(peer, batch);
            final Loopback.Received hello = Loopback.receive(hub, hub.newReceiveBatch(4, SIZE), 1).get(0);
            assertEquals(PeerAddress.FAMILY_IPV4, hello.source.family(), "IPv4-mapped source normalised");
            assertEquals(Loopback.addressOf(peer), hello.source);

            final SendBatch reply = new SendBatch(1, SIZE);
            Loopback.fill(reply, reply.add(hello.source, SIZE), SIZE, 2);
            Loopback.sendAll(hub, reply);
            Loopback.assertPattern(Loopback.receive(peer, peer.newReceiveBatch(4, SIZE), 1).get(0).payload, SIZE, 2);
        }
    }

    @Test
    void peerAddressRoundTripsAndHashes() throws Exception
    {
        final InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 4242);
        final InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 4343);
        assertEquals(v4, PeerAddress.of(v4).toInetSocketAddress());
        assertEquals(v6, PeerAddress.of(v6).toInetSocketAddress());
        assertEquals(PeerAddress.of(v4), new PeerAddress().setIpv4(0x7f000001, 4242));
        assertEquals(PeerAddress.of(v4).hashCode(), new PeerAddress().setIpv4(0x7f000001, 4242).hashCode());
        assertTrue(!PeerAddress.of(v4).equals(PeerAddress.of(v6)));

        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[64]);
        for (final InetSocketAddress address : new InetSocketAddress[]{v4, v6})
        {
            final PeerAddress peer = PeerAddress.of(address);
            final int length = peer.writeSockaddr(buffer, 0, peer.family());
            assertEquals(peer, new PeerAddress().readSockaddr(buffer, 0, length));
        }
        // IPv4 written for an IPv6 socket becomes ::ffff:127.0.0.1 and reads back as IPv4.
        final int mappedLength = PeerAddress.of(v4).writeSockaddr(buffer, 0, PeerAddress.FAMILY_IPV6);
        assertEquals(SockaddrDescriptor.SOCKADDR_IN6_LENGTH, mappedLength);
        assertEquals(PeerAddress.of(v4), new PeerAddress().readSockaddr(buffer, 0, mappedLength));
    }
}
