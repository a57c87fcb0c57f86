/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The native socket is blocking (so the waiting receive can sleep in {@code recvmmsg}); every send must
 * still never wait. On loopback the send buffer never fills (the skb is released at once), so a network
 * namespace is created whose {@code lo} has a token-bucket qdisc at 8 kbit/s: datagrams then sit in the
 * qdisc, charged to the sending socket, and its small send buffer fills. A child JVM in the namespace
 * sends until {@code send} stops early, then sends again: both calls must return at once (the second with
 * nothing sent) instead of blocking for the minutes the qdisc needs. Skipped without root, {@code ip} or
 * {@code tc}; the namespace is deleted in {@code finally}.
 */
class FullSendBufferNamespaceTest
{
    static final int SIZE = 1400;
    static final int BATCH = 64;
    static final int MAX_CALLS = 10_000;

    @Test
    void sendOnAFullSocketBufferReturnsInsteadOfBlocking() throws Exception
    {
        assumeTrue(NativeLibrary.isAvailable(), () -> "native shim unavailable: " + NativeLibrary.description());
        assumeTrue(GsoFallbackNamespaceTest.isRoot(), "needs root to create a network namespace");
        final String ip = GsoFallbackNamespaceTest.onPath("ip");
        final String tc = GsoFallbackNamespaceTest.onPath("tc");
        assumeTrue(null != ip && null != tc, "needs ip and tc on PATH");

        final String ns = "salvo-sndbuf-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        try
        {
            GsoFallbackNamespaceTest.run(ip, "netns", "add", ns);
            GsoFallbackNamespaceTest.run(ip, "-n", ns, "link", "set", "lo", "up");
            GsoFallbackNamespaceTest.run(ip, "netns", "exec", ns, tc, "qdisc", "add", "dev", "lo", "root", "tbf",
                "rate", "8kbit", "burst", "70000", "limit", "100000000");

            final ChildJvm.Result sender = ChildJvm.run(Arrays.asList(ip, "netns", "exec", ns), SenderMain.class);
            assertEquals(0, sender.exitCode, sender.output);
            assertTrue(sender.output.contains("full=true "), sender.output);
            assertTrue(sender.output.contains("again=0 "), "a send on the full buffer sends nothing: " + sender.output);
        }
        finally
        {
            GsoFallbackNamespaceTest.runQuietly(ip, "netns", "del", ns);
        }
    }

    /** Child: fills the send buffer (64 KiB) through the throttled lo, then sends once more. */
    public static final class SenderMain
    {
        public static void main(final String[] args) throws Exception
        {
            final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
            try (DatagramEndpoint receiver = NativeDatagramEndpoint.open(new EndpointConfig(loopback));
                DatagramEndpoint sender = NativeDatagramEndpoint.open(
                    new EndpointConfig(loopback).sendBufferSize(64 * 1024).gsoEnabled(false)))
            {
                final SendBatch batch = new SendBatch(BATCH, BATCH * SIZE);
                for (int i = 0; i < BATCH; i++)
                {
                    batch.add(PeerAddress.of(receiver.localAddress()), SIZE);
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                boolean full = false;
                int calls = 0;
                while (!full && calls < MAX_CALLS && System.nanoTime() < deadline)
                {
                    batch.rewind();
                    sender.send(batch);
                    calls++;
                    full = !batch.isFullySent(); // the kernel stopped early: the send buffer is full
                }
                final int again = full ? sender.send(batch) : -1;
                System.out.println("full=" + full + " again=" + again + " calls=" + calls +
                    " datagramsSent=" + sender.stats().datagramsSent());
            }
        }
    }
}
