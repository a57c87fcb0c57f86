/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GSO rejected at send time loses nothing, on loopback without root: with {@code SO_NO_CHECK} (IPv6:
 * {@code UDP_NO_CHECK6_TX}) set the kernel refuses every GSO send with EINVAL ({@code udp_send_skb}: "sk_no_check_tx"), although
 * {@code setsockopt(UDP_SEGMENT)} succeeded. The endpoint must turn GSO off for good, count one
 * fallback and resend the same datagrams one per segment. (The EIO variant, a device without
 * checksum offload, is {@link GsoFallbackNamespaceTest}.)
 */
class GsoRejectionTest
{
    static final int SOL_SOCKET = 1;
    static final int SO_NO_CHECK = 11;
    static final int SOL_UDP = 17;
    static final int UDP_NO_CHECK6_TX = 101;
    static final int UDP_NO_CHECK6_RX = 102;
    static final int SEGMENT_SIZE = 1200;

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void rejectedGsoIsResentWithoutGsoLosingNothing(final boolean ipv6) throws Exception
    {
        try (DatagramEndpoint receiver = EndpointKind.MMSG.open(ipv6 ? Loopback.ipv6() : Loopback.ipv4());
            DatagramEndpoint endpoint = EndpointKind.GSO_GRO.open(ipv6 ? Loopback.ipv6() : Loopback.ipv4()))
        {
            final NativeDatagramEndpoint sender = (NativeDatagramEndpoint)endpoint;
            if (ipv6)
            {
                sender.setIntOption(SOL_UDP, UDP_NO_CHECK6_TX, 1); // IPv6's no-checksum switch
                // IPv6 receivers drop zero-checksum datagrams unless told otherwise.
                ((NativeDatagramEndpoint)receiver).setIntOption(SOL_UDP, UDP_NO_CHECK6_RX, 1);
            }
            else
            {
                sender.setIntOption(SOL_SOCKET, SO_NO_CHECK, 1);
            }

            // Two trains to the receiver with a plain datagram between: all 2 x 10 + 1 must arrive in order.
            final PeerAddress destination = Loopback.addressOf(receiver);
            final SendBatch batch = new SendBatch(3, 21 * SEGMENT_SIZE);
            int id = 0;
            for (int part = 0; part < 3; part++)
            {
                final int segments = part == 1 ? 1 : 10;
                final int offset = segments == 1 ?
                    batch.add(destination, SEGMENT_SIZE) : batch.addSegmented(destination, segments * SEGMENT_SIZE, SEGMENT_SIZE);
                for (int s = 0; s < segments; s++)
                {
                    Loopback.fill(batch, offset + s * SEGMENT_SIZE, SEGMENT_SIZE, id++);
                }
            }
            Loopback.sendAll(sender, batch);
            assumeTrue(sender.stats().gsoFallbacks() > 0, "this kernel accepted GSO despite SO_NO_CHECK");
            assertEquals(1, sender.stats().gsoFallbacks(), "one fallback, then GSO stays off");
            assertFalse(sender.capabilities().gso());
            assertEquals(21, sender.stats().datagramsSent());

            final List<Loopback.Received> received = Loopback.receive(receiver, receiver.newReceiveBatch(32, SEGMENT_SIZE), 21);
            for (int i = 0; i < 21; i++)
            {
                Loopback.assertPattern(received.get(i).payload, SEGMENT_SIZE, i);
            }

            // GSO stays off: the next batch goes out per segment without another rejection.
            batch.rewind();
            Loopback.sendAll(sender, batch);
            assertEquals(1, sender.stats().gsoFallbacks());
            Loopback.receive(receiver, receiver.newReceiveBatch(32, SEGMENT_SIZE), 21);
        }
    }
}
