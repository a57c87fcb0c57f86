/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.netns;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import dev.salvo.CloseReason;
import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.ConnectionStats;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import org.agrona.DirectBuffer;

import static dev.salvo.testing.ChildProcess.field;
import static dev.salvo.testing.ChildProcess.longField;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Child-JVM peers for transfers across network namespaces (run by {@code NetworkNamespaces.startJvm}); they report
 * through result lines ({@code key=value}) that the tests parse.
 *
 * <p>Every message carries a header so the receiver can check it alone:
 * <pre>
 *   0  index (int64)   8  number of messages in the run (int64)   16  CRC32C of the body (int32)   20  body
 * </pre>
 * The body is pseudo-random from the index. The sender's and receiver's sums of the CRCs must match.
 * Identities are fixed (private keys derived from constant bytes), so neither side needs the other's key passed.
 */
public final class TransferPeers
{
    /** Bytes before the body. */
    public static final int HEADER_LENGTH = 20;
    /**
     * Idle timeout of both peers in a transfer: long enough for any recovery stall at 20% loss, short enough that a
     * lost final CLOSE (sent once) costs the receiver seconds, not the 30 s default.
     */
    public static final long TRANSFER_IDLE_TIMEOUT_MS = 8_000;
    /** Keep-alive interval of both peers in a transfer. */
    public static final long TRANSFER_KEEP_ALIVE_MS = 1_000;
    /** Longest either peer runs before giving up (a watchdog exits with status 3). */
    public static final long WATCHDOG_MS = 150_000;

    private TransferPeers()
    {
    }

    static StaticKeyPair receiverKey()
    {
        return key((byte)0x52);
    }

    static StaticKeyPair senderKey()
    {
        return key((byte)0x53);
    }

    private static StaticKeyPair key(final byte fill)
    {
        final byte[] privateKey = new byte[StaticKeyPair.KEY_LENGTH];
        java.util.Arrays.fill(privateKey, fill);
        return StaticKeyPair.fromPrivateKey(privateKey);
    }

    /** Halts this child JVM after {@link #WATCHDOG_MS} if it is still running: a time limit for the whole peer. */
    static void startWatchdog(final String who)
    {
        // The common pool's threads are daemons, so a peer that finishes exits without waiting for the limit.
        java.util.concurrent.CompletableFuture.runAsync(() ->
        {
            System.out.println("WATCHDOG " + who + " gave up after " + WATCHDOG_MS + " ms");
            Runtime.getRuntime().halt(3);
        }, java.util.concurrent.CompletableFuture.delayedExecutor(WATCHDOG_MS, java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    /** Parses a plan such as {@code 1000x1024,4x1048576}: counts and sizes, sent in that order. */
    static List<long[]> plan(final String text)
    {
        final List<long[]> plan = new ArrayList<>();
        for (final String part : text.split(","))
        {
            final String[] countAndSize = part.split("x");
            plan.add(new long[] { Long.parseLong(countAndSize[0]), Long.parseLong(countAndSize[1]) });
        }
        return plan;
    }

    /**
     * Asserts the receiver's {@code DONE} line shows every message of {@code plan} delivered once and intact (its CRC
     * sum equal to the one in the sender's {@code ACKED} line).
     *
     * @return the number of messages in the plan.
     */
    static long assertDeliveredWhole(final String plan, final String acked, final String done, final String context)
    {
        long messages = 0;
        long bytes = 0;
        for (final long[] step : plan(plan))
        {
            messages += step[0];
            bytes += step[0] * step[1];
        }
        assertEquals(messages, longField(done, "messages"), context);
        assertEquals(bytes, longField(done, "bytes"), context);
        assertEquals(0, longField(done, "duplicates"), "delivered more than once" + context);
        assertEquals(0, longField(done, "corrupt"), "corrupt messages" + context);
        assertEquals(field(acked, "crcSum"), field(done, "crcSum"), context);
        return messages;
    }

    /** Fills a message (header and body) and returns the body's CRC32C. */
    static int fill(final byte[] message, final int length, final long index, final long count)
    {
        final ByteBuffer header = ByteBuffer.wrap(message, 0, HEADER_LENGTH);
        final SplittableRandom random = new SplittableRandom(index * 0x9E3779B97F4A7C15L);
        int i = HEADER_LENGTH;
        for (; i + 8 <= length; i += 8)
        {
            final long bits = random.nextLong();
            for (int b = 0; b < 8; b++)
            {
                message[i + b] = (byte)(bits >>> (8 * b));
            }
        }
        for (; i < length; i++)
        {
            message[i] = (byte)random.nextInt();
        }
        final CRC32C crc = new CRC32C();
        crc.update(message, HEADER_LENGTH, length - HEADER_LENGTH);
        final int value = (int)crc.getValue();
        header.putLong(index).putLong(count).putInt(value);
        return value;
    }

    static long directMemoryUsed()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                return pool.getMemoryUsed();
            }
        }
        return -1;
    }

    static String stats(final ConnectionStats stats)
    {
        return "packetsSent=" + stats.packetsSent() + " packetsReceived=" + stats.packetsReceived() +
            " packetsLost=" + stats.packetsLost() + " packetsRetransmitted=" + stats.packetsRetransmitted() +
            " srttUs=" + stats.smoothedRttNs() / 1000 + " cwnd=" + stats.congestionWindow() +
            " bytesInFlight=" + stats.bytesInFlight() + " pathMtu=" + stats.pathMtu() + " bytesSent=" + stats.bytesSent();
    }

    /**
     * Receiver: {@code ADDRESS PORT}. Accepts the sender, checks every message, prints {@code READY}, then
     * {@code RECEIVING} at the first message, {@code DONE messages=.. bytes=.. duplicates=.. corrupt=.. crcSum=..}
     * once every index arrived, and {@code CLOSED reason=..} when the sender closes; exits 0 if all arrived intact
     * exactly once.
     */
    public static final class Receiver
    {
        public static void main(final String[] args) throws Exception
        {
            startWatchdog("receiver");
            final InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
            final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
            final ConnectionHandler handler = new ConnectionHandler()
            {
                private final BitSet seen = new BitSet();
                private final CRC32C crc = new CRC32C();
                private byte[] copy = new byte[64 * 1024];
                private long messages;
                private long bytes;
                private long duplicates;
                private long corrupt;
                private long crcSum;
                private boolean done;

                @Override
                public void onMessage(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
                {
                    if (0 == messages + duplicates + corrupt)
                    {
                        System.out.println("RECEIVING");
                    }
                    if (length < HEADER_LENGTH)
                    {
                        corrupt++;
                        return;
                    }
                    if (copy.length < length)
                    {
                        copy = new byte[length];
                    }
                    buffer.getBytes(offset, copy, 0, length);
                    final ByteBuffer header = ByteBuffer.wrap(copy, 0, HEADER_LENGTH);
                    final long index = header.getLong();
                    final long count = header.getLong();
                    final int expectedCrc = header.getInt();
                    crc.reset();
                    crc.update(copy, HEADER_LENGTH, length - HEADER_LENGTH);
                    if ((int)crc.getValue() != expectedCrc || index < 0 || index >= count || count > Integer.MAX_VALUE)
                    {
                        corrupt++;
                        return;
                    }
                    if (seen.get((int)index))
                    {
                        duplicates++;
                        return;
                    }
                    seen.set((int)index);
                    messages++;
                    bytes += length;
                    crcSum += expectedCrc & 0xFFFF_FFFFL;
                    if (!done && seen.cardinality() == count)
                    {
                        done = true;
                        System.out.println("DONE messages=" + messages + " bytes=" + bytes + " duplicates=" + duplicates +
                            " corrupt=" + corrupt + " crcSum=" + crcSum + " " + stats(connection.stats()));
                    }
                }

                @Override
                public void onClosed(final Connection connection, final CloseReason reason)
                {
                    System.out.println("CLOSED reason=" + reason + " messages=" + messages + " duplicates=" + duplicates +
                        " corrupt=" + corrupt);
                    closed.complete(done && 0 == duplicates && 0 == corrupt ? reason : null);
                }
            };
            try (Transport transport = Transport.open(new TransportConfig(bind, receiverKey())
                .allowPeers(senderKey().publicKey())
                .idleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(TRANSFER_IDLE_TIMEOUT_MS))
                .keepAliveIntervalNs(TimeUnit.MILLISECONDS.toNanos(TRANSFER_KEEP_ALIVE_MS))
                .acceptHandler(connection -> handler)))
            {
                System.out.println("READY " + transport.localAddress() + " io=" + transport.capabilities());
                System.out.flush();
                final CloseReason reason = closed.get(WATCHDOG_MS, TimeUnit.MILLISECONDS);
                System.out.flush();
                Runtime.getRuntime().halt(null == reason ? 1 : 0);
            }
        }
    }

    /**
     * Sender: {@code ADDRESS PORT transfer PLAN} sends the plan's messages, waits until all are acknowledged,
     * prints {@code ACKED messages=.. bytes=.. crcSum=.. seconds=.. <stats>}, closes gracefully and prints
     * {@code CLOSED reason=..}.
     *
     * <p>{@code ADDRESS PORT stream SIZE IDLE_TIMEOUT_MS} sends messages of SIZE bytes (capped at the connection's
     * maximum) until the connection ends, printing {@code STREAMING} after the first; when it ends it prints
     * {@code CLOSED reason=.. blockedSendReturned=.. openConnections=..} and then
     * {@code RELEASED collected=<connection garbage-collected> ...}.
     */
    public static final class Sender
    {
        public static void main(final String[] args) throws Exception
        {
            startWatchdog("sender");
            final InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
            final String mode = args[2];
            final TransportConfig config = new TransportConfig(
                new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), senderKey())
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(30))
                .handshakeRetryNs(TimeUnit.MILLISECONDS.toNanos(100));
            if ("transfer".equals(mode))
            {
                config.idleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(TRANSFER_IDLE_TIMEOUT_MS))
                    .keepAliveIntervalNs(TimeUnit.MILLISECONDS.toNanos(TRANSFER_KEEP_ALIVE_MS));
            }
            else if ("stream".equals(mode))
            {
                final long idleTimeoutMs = Long.parseLong(args[4]);
                config.idleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs))
                    .keepAliveIntervalNs(TimeUnit.MILLISECONDS.toNanos(Math.max(1, idleTimeoutMs / 5)));
            }
            final AtomicLong acknowledged = new AtomicLong();
            final CountDownLatch[] allAcknowledged = new CountDownLatch[1];
            final ConnectionHandler handler = new ConnectionHandler()
            {
                @Override
                public void onMessage(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
                {
                }

                @Override
                public void onAcknowledged(final Connection connection, final long messageId)
                {
                    acknowledged.incrementAndGet();
                    final CountDownLatch latch = allAcknowledged[0];
                    if (null != latch)
                    {
                        latch.countDown();
                    }
                }
            };
            try (Transport transport = Transport.open(config))
            {
                if ("transfer".equals(mode))
                {
                    final List<long[]> plan = plan(args[3]);
                    long total = 0;
                    for (final long[] step : plan)
                    {
                        total += step[0];
                    }
                    allAcknowledged[0] = new CountDownLatch((int)total);
                    final Connection connection = transport.connect(peer, receiverKey().publicKey(), handler)
                        .get(60, TimeUnit.SECONDS);
                    System.out.println("CONNECTED io=" + transport.capabilities());
                    System.exit(transfer(connection, plan, total, allAcknowledged[0]));
                }
                else
                {
                    System.exit(stream(transport, peer, handler, Integer.parseInt(args[3]), acknowledged));
                }
            }
        }

        private static int transfer(
            final Connection connection, final List<long[]> plan, final long total, final CountDownLatch allAcknowledged)
            throws Exception
        {
            final long start = System.nanoTime();
            long index = 0;
            long bytes = 0;
            long crcSum = 0;
            byte[] message = new byte[0];
            for (final long[] step : plan)
            {
                final int size = (int)step[1];
                if (message.length < size)
                {
                    message = new byte[size];
                }
                for (long i = 0; i < step[0]; i++, index++)
                {
                    crcSum += fill(message, size, index, total) & 0xFFFF_FFFFL;
                    final long id = connection.send(ByteBuffer.wrap(message, 0, size), 60, TimeUnit.SECONDS);
                    if (id < 0)
                    {
                        System.out.println("FAILED send of message " + index + " returned " + id + " " + stats(connection.stats()));
                        return 1;
                    }
                    bytes += size;
                }
            }
            final boolean acked = allAcknowledged.await(120, TimeUnit.SECONDS);
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println((acked ? "ACKED" : "NOT_ACKED") + " messages=" + total + " bytes=" + bytes +
                " crcSum=" + crcSum + " seconds=" + String.format("%.3f", seconds) +
                " acknowledged=" + (total - allAcknowledged.getCount()) + " " + stats(connection.stats()));
            connection.close();
            final CloseReason reason = connection.closeFuture().get(60, TimeUnit.SECONDS);
            System.out.println("CLOSED reason=" + reason);
            return acked && CloseReason.LOCAL_CLOSE == reason ? 0 : 1;
        }

        private static int stream(
            final Transport transport, final InetSocketAddress peer, final ConnectionHandler handler, final int size,
            final AtomicLong acknowledged) throws Exception
        {
            final long directBefore = directMemoryUsed();
            Connection connection = transport.connect(peer, receiverKey().publicKey(), handler).get(60, TimeUnit.SECONDS);
            final CompletableFuture<CloseReason> closeFuture = connection.closeFuture();
            final int length = (int)Math.min(size, connection.maxMessageLength());
            final byte[] message = new byte[length];
            long sent = 0;
            long result = 0;
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WATCHDOG_MS / 2);
            while (System.nanoTime() - deadline < 0)
            {
                fill(message, length, sent, Long.MAX_VALUE);
                result = connection.send(message, 1, TimeUnit.SECONDS);
                if (Connection.CLOSED == result)
                {
                    break;
                }
                if (result >= 0 && 0 == sent++)
                {
                    System.out.println("STREAMING size=" + length);
                }
            }
            final long directDuring = directMemoryUsed();
            final CloseReason reason = closeFuture.get(60, TimeUnit.SECONDS);
            System.out.println("CLOSED reason=" + reason + " blockedSendReturned=" + result + " sent=" + sent +
                " acknowledged=" + acknowledged.get() + " openConnections=" + transport.stats().openConnections() +
                " sendAfterClose=" + connection.trySend(new byte[1]) + " " + stats(connection.stats()));
            // Nothing of the transport may keep the dead connection (and so its rings and core) reachable.
            final ReferenceQueue<Connection> queue = new ReferenceQueue<>();
            final WeakReference<Connection> reference = new WeakReference<>(connection, queue);
            connection = null;
            boolean collected = false;
            for (int attempt = 0; attempt < 50 && !collected; attempt++)
            {
                System.gc();
                collected = null != queue.remove(100);
            }
            System.out.println("RELEASED collected=" + collected + " openConnections=" + transport.stats().openConnections() +
                " directBefore=" + directBefore + " directDuring=" + directDuring + " directAfter=" + directMemoryUsed());
            return 0;
        }
    }
}
