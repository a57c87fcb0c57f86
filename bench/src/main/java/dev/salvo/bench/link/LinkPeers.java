/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.link;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.salvo.CloseReason;
import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.ConnectionStats;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import org.agrona.DirectBuffer;

/**
 * Peers for bulk flows across a shaped link (run by scripts/run_link_benchmarks.sh inside network namespaces;
 * and by LinkNamespaceTest in this module's tests): senders stream fixed-size
 * messages for a while, and both sides print a sample line per flow every {@link #SAMPLE_INTERVAL_MS} ms that
 * the test parses (wall-clock milliseconds, so the two JVMs' lines share a time axis on one host).
 *
 * <p>Every message starts with its flow number (int32) and its index within the flow (int64); the receiver
 * counts distinct indices per flow, duplicates, and the longest gap between two deliveries of a flow (a stall).
 *
 * <p>Lines:
 * <pre>
 *   receiver: READY ...
 *             RX t=EPOCH_MS flow=F bytes=DELIVERED_BYTES messages=N packetBytes=B   (every 100 ms, per flow accepted;
 *                B = bytes of data packets accepted, ConnectionStats.bytesReceived)
 *             RXFLOW flow=F messages=N distinct=N duplicates=N bytes=B maxGapMs=G closed=REASON   (per flow, at close)
 *   sender:   SENDING flow=F t=EPOCH_MS                                       (first message handed over)
 *             TX t=EPOCH_MS flow=F acked=BYTES packetsSent=N packetsRetransmitted=N packetsLost=N cwnd=B srttUs=U
 *                bytesSent=B linkTxBytes=B                                     (every 100 ms, per flow)
 *             FLOW flow=F messages=N bytes=B acknowledged=N allAcknowledged=BOOL closed=REASON
 *             SENDER_DONE ok=BOOL
 * </pre>
 */
public final class LinkPeers
{
    /** Bytes of the per-message header: flow (int32), index (int64). */
    public static final int HEADER_LENGTH = 12;
    /** Sampling period of both sides. */
    public static final long SAMPLE_INTERVAL_MS = 100;
    /** Message size of every flow: small enough that deliveries are frequent (stall detection), big enough to batch. */
    public static final int MESSAGE_SIZE = 16 * 1024;
    /** Most flows one run may have. */
    public static final int MAX_FLOWS = 8;
    /** Longest either peer runs before giving up (a watchdog exits with status 3). */
    public static final long WATCHDOG_MS = 120_000;
    /** Idle timeout of both peers. */
    public static final long IDLE_TIMEOUT_MS = 8_000;
    /** Longest a sender waits for its last messages to be acknowledged after it stopped sending. */
    public static final long DRAIN_TIMEOUT_MS = 40_000;

    private LinkPeers()
    {
    }

    /**
     * @param flow flow number.
     * @return the fixed identity of the sender of that flow (one key per flow, so each flow is its own peer).
     */
    static StaticKeyPair flowKey(final int flow)
    {
        return key((byte)(0x60 + flow));
    }

    static StaticKeyPair receiverKey()
    {
        return key((byte)0x5A);
    }

    private static StaticKeyPair key(final byte fill)
    {
        final byte[] privateKey = new byte[StaticKeyPair.KEY_LENGTH];
        java.util.Arrays.fill(privateKey, fill);
        return StaticKeyPair.fromPrivateKey(privateKey);
    }

    static void startWatchdog(final String who)
    {
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                Thread.sleep(WATCHDOG_MS); // a time limit, not synchronisation
                System.out.println("WATCHDOG " + who + " gave up after " + WATCHDOG_MS + " ms");
                Runtime.getRuntime().halt(3);
            }
            catch (final InterruptedException ignore)
            {
                // exiting normally
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    static void sleepUntil(final long deadlineNs)
    {
        // A sampling schedule, not synchronisation: parks until the next sample is due.
        long remaining;
        while ((remaining = deadlineNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(remaining);
        }
    }

    /**
     * Receiver: {@code ADDRESS PORT FLOWS SECONDS}. Accepts connections from flows 0..FLOWS-1, samples delivered
     * bytes per flow until every flow's connection has closed or SECONDS passed, then prints {@code RXFLOW} lines
     * and exits 0 if no message was duplicated.
     */
    public static final class Receiver
    {
        public static void main(final String[] args) throws Exception
        {
            startWatchdog("receiver");
            final InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
            final int flows = Integer.parseInt(args[2]);
            final long limitNs = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
            final AtomicLong[] bytes = new AtomicLong[flows];
            final AtomicLong[] messages = new AtomicLong[flows];
            final long[] duplicates = new long[flows];
            final long[] lastDeliveryNs = new long[flows];
            final long[] maxGapNs = new long[flows];
            final BitSet[] seen = new BitSet[flows];
            final String[] closed = new String[flows];
            final java.util.concurrent.atomic.AtomicReferenceArray<Connection> connectionOf =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(flows);
            final CountDownLatch allClosed = new CountDownLatch(flows);
            for (int f = 0; f < flows; f++)
            {
                bytes[f] = new AtomicLong();
                messages[f] = new AtomicLong();
                seen[f] = new BitSet();
            }
            final byte[][] keys = new byte[flows][];
            for (int f = 0; f < flows; f++)
            {
                keys[f] = flowKey(f).publicKey();
            }
            final class Handler implements ConnectionHandler
            {
                private int lastFlow = -1;

                @Override
                public void onMessage(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
                {
                    if (length < HEADER_LENGTH)
                    {
                        return;
                    }
                    final int flow = buffer.getInt(offset, java.nio.ByteOrder.BIG_ENDIAN);
                    final long index = buffer.getLong(offset + 4, java.nio.ByteOrder.BIG_ENDIAN);
                    if (flow < 0 || flow >= flows || index < 0 || index > Integer.MAX_VALUE)
                    {
                        return;
                    }
                    lastFlow = flow;
                    final long now = System.nanoTime();
                    if (0 != lastDeliveryNs[flow])
                    {
                        maxGapNs[flow] = Math.max(maxGapNs[flow], now - lastDeliveryNs[flow]);
                    }
                    lastDeliveryNs[flow] = now;
                    if (seen[flow].get((int)index))
                    {
                        duplicates[flow]++;
                        return;
                    }
                    seen[flow].set((int)index);
                    messages[flow].incrementAndGet();
                    bytes[flow].addAndGet(length);
                }

                @Override
                public void onClosed(final Connection connection, final CloseReason reason)
                {
                    final int flow = flowOf(connection);
                    if (flow >= 0 && null == closed[flow])
                    {
                        closed[flow] = reason.name();
                        System.out.println("RXFLOW flow=" + flow + " messages=" + messages[flow].get() +
                            " distinct=" + seen[flow].cardinality() + " duplicates=" + duplicates[flow] +
                            " bytes=" + bytes[flow].get() + " maxGapMs=" + TimeUnit.NANOSECONDS.toMillis(maxGapNs[flow]) +
                            " closed=" + reason);
                        allClosed.countDown();
                    }
                }

                int flowOf(final Connection connection)
                {
                    final byte[] key = connection.remoteStaticKey();
                    for (int f = 0; f < flows; f++)
                    {
                        if (java.util.Arrays.equals(key, keys[f]))
                        {
                            return f;
                        }
                    }
                    return lastFlow;
                }
            }
            final Handler handler = new Handler();
            try (Transport transport = Transport.open(new TransportConfig(bind, receiverKey())
                .allowPeers(keys)
                .idleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS))
                .keepAliveIntervalNs(TimeUnit.SECONDS.toNanos(1))
                .acceptHandler(connection ->
                {
                    final int flow = handler.flowOf(connection);
                    if (flow >= 0)
                    {
                        connectionOf.compareAndSet(flow, null, connection);
                    }
                    return handler;
                })))
            {
                System.out.println("READY " + transport.localAddress() + " io=" + transport.capabilities());
                System.out.flush();
                final long start = System.nanoTime();
                long next = start;
                while (allClosed.getCount() > 0 && System.nanoTime() - start < limitNs)
                {
                    next += TimeUnit.MILLISECONDS.toNanos(SAMPLE_INTERVAL_MS);
                    sleepUntil(next);
                    final long t = System.currentTimeMillis();
                    final StringBuilder lines = new StringBuilder();
                    for (int f = 0; f < flows; f++)
                    {
                        final Connection connection = connectionOf.get(f);
                        if (null != connection)
                        {
                            lines.append("RX t=").append(t).append(" flow=").append(f).append(" bytes=")
                                .append(bytes[f].get()).append(" messages=").append(messages[f].get())
                                .append(" packetBytes=").append(connection.stats().bytesReceived()).append('\n');
                        }
                    }
                    System.out.print(lines);
                    System.out.flush();
                }
                boolean clean = true;
                for (int f = 0; f < flows; f++)
                {
                    clean &= 0 == duplicates[f];
                }
                System.out.println("RECEIVER_DONE closedFlows=" + (flows - allClosed.getCount()) + " clean=" + clean);
                System.out.flush();
                Runtime.getRuntime().halt(clean ? 0 : 1);
            }
        }
    }

    /**
     * Sender: {@code ADDRESS PORT FLOW:START_MS:DURATION_MS[,FLOW:START_MS:DURATION_MS...]}. Each flow has its own
     * {@link Transport} (own socket, own I/O thread, own identity) and connection, opened at once; it sends
     * {@link #MESSAGE_SIZE}-byte messages with blocking {@code send} from START_MS to START_MS + DURATION_MS after
     * the sender's start, then waits until all are acknowledged and closes. The congestion controller is whatever
     * {@code TransportConfig} picks (system properties of this JVM).
     */
    public static final class Sender
    {
        public static void main(final String[] args) throws Exception
        {
            startWatchdog("sender");
            final InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
            final List<long[]> plan = new ArrayList<>();
            for (final String part : args[2].split(","))
            {
                final String[] fields = part.split(":");
                plan.add(new long[] { Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]) });
            }
            final int count = plan.size();
            final Transport[] transports = new Transport[count];
            final Connection[] connections = new Connection[count];
            final AtomicLong[] acknowledged = new AtomicLong[count];
            final Thread[] threads = new Thread[count];
            final boolean[] ok = new boolean[count];
            final long[] stopNs = new long[count];
            try
            {
                for (int i = 0; i < count; i++)
                {
                    final int flow = (int)plan.get(i)[0];
                    final AtomicLong acked = new AtomicLong();
                    acknowledged[i] = acked;
                    transports[i] = Transport.open(new TransportConfig(
                        new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), flowKey(flow))
                        .connectTimeoutNs(TimeUnit.SECONDS.toNanos(30))
                        .handshakeRetryNs(TimeUnit.MILLISECONDS.toNanos(100))
                        .idleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS))
                        .keepAliveIntervalNs(TimeUnit.SECONDS.toNanos(1))
                        .threadName("salvo-io-flow" + flow));
                    connections[i] = transports[i].connect(peer, receiverKey().publicKey(), new ConnectionHandler()
                    {
                        @Override
                        public void onMessage(
                            final Connection connection, final DirectBuffer buffer, final int offset, final int length)
                        {
                        }

                        @Override
                        public void onAcknowledged(final Connection connection, final long messageId)
                        {
                            acked.incrementAndGet();
                        }
                    }).get(60, TimeUnit.SECONDS);
                }
                final long startNs = System.nanoTime();
                for (int i = 0; i < count; i++)
                {
                    final int slot = i;
                    final long[] step = plan.get(i);
                    stopNs[i] = startNs + TimeUnit.MILLISECONDS.toNanos(step[1] + step[2]);
                    threads[i] = new Thread(() -> ok[slot] = runFlow(
                        (int)step[0], connections[slot], acknowledged[slot], startNs + TimeUnit.MILLISECONDS.toNanos(step[1]),
                        stopNs[slot]), "flow-" + step[0]);
                    threads[i].start();
                }
                boolean running = true;
                long next = startNs;
                while (running && System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(WATCHDOG_MS))
                {
                    next += TimeUnit.MILLISECONDS.toNanos(SAMPLE_INTERVAL_MS);
                    sleepUntil(next);
                    final long t = System.currentTimeMillis();
                    final long linkTxBytes = linkTxBytes();
                    final StringBuilder lines = new StringBuilder();
                    running = false;
                    for (int i = 0; i < count; i++)
                    {
                        running |= threads[i].isAlive();
                        final ConnectionStats stats = connections[i].stats();
                        lines.append("TX t=").append(t).append(" flow=").append(plan.get(i)[0])
                            .append(" acked=").append(acknowledged[i].get() * MESSAGE_SIZE)
                            .append(" packetsSent=").append(stats.packetsSent())
                            .append(" packetsRetransmitted=").append(stats.packetsRetransmitted())
                            .append(" packetsLost=").append(stats.packetsLost())
                            .append(" cwnd=").append(stats.congestionWindow())
                            .append(" srttUs=").append(stats.smoothedRttNs() / 1000)
                            .append(" bytesSent=").append(stats.bytesSent())
                            .append(" linkTxBytes=").append(linkTxBytes).append('\n');
                    }
                    System.out.print(lines);
                    System.out.flush();
                }
                boolean allOk = true;
                for (int i = 0; i < count; i++)
                {
                    threads[i].join(TimeUnit.SECONDS.toMillis(5));
                    allOk &= ok[i];
                }
                System.out.println("SENDER_DONE ok=" + allOk);
                System.out.flush();
                Runtime.getRuntime().halt(allOk ? 0 : 1);
            }
            finally
            {
                for (final Transport transport : transports)
                {
                    if (null != transport)
                    {
                        transport.close();
                    }
                }
            }
        }

        /**
         * @return bytes transmitted by this namespace's interfaces other than loopback ({@code /sys/class/net/
         * DEV/statistics/tx_bytes}; {@code ip netns exec} mounts the namespace's own sysfs): on the sender's veth,
         * what passed its egress qdisc, i.e. the bottleneck, Ethernet headers included as tbf counts them. -1 if
         * unreadable.
         */
        static long linkTxBytes()
        {
            long total = 0;
            try (java.nio.file.DirectoryStream<java.nio.file.Path> devices =
                java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/sys/class/net")))
            {
                for (final java.nio.file.Path device : devices)
                {
                    if (!"lo".equals(device.getFileName().toString()))
                    {
                        total += Long.parseLong(java.nio.file.Files.readString(
                            device.resolve("statistics/tx_bytes")).trim());
                    }
                }
                return total;
            }
            catch (final java.io.IOException | RuntimeException ex)
            {
                return -1;
            }
        }

        private static boolean runFlow(
            final int flow, final Connection connection, final AtomicLong acknowledged, final long startNs, final long stopNs)
        {
            try
            {
                sleepUntil(startNs);
                final byte[] message = new byte[MESSAGE_SIZE];
                final ByteBuffer header = ByteBuffer.wrap(message);
                for (int i = HEADER_LENGTH; i < MESSAGE_SIZE; i++)
                {
                    message[i] = (byte)(i * 31 + flow);
                }
                long sent = 0;
                while (System.nanoTime() - stopNs < 0)
                {
                    header.putInt(0, flow).putLong(4, sent);
                    final long id = connection.send(message, 100, TimeUnit.MILLISECONDS);
                    if (Connection.CLOSED == id)
                    {
                        break;
                    }
                    if (id >= 0 && 0 == sent++)
                    {
                        System.out.println("SENDING flow=" + flow + " t=" + System.currentTimeMillis());
                    }
                }
                final long drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
                while (acknowledged.get() < sent && System.nanoTime() - drainDeadline < 0)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // polling a counter, bounded
                }
                final boolean allAcknowledged = acknowledged.get() == sent;
                connection.close();
                final CloseReason reason = connection.closeFuture().get(30, TimeUnit.SECONDS);
                System.out.println("FLOW flow=" + flow + " messages=" + sent + " bytes=" + sent * MESSAGE_SIZE +
                    " acknowledged=" + acknowledged.get() + " allAcknowledged=" + allAcknowledged + " closed=" + reason);
                return allAcknowledged && CloseReason.LOCAL_CLOSE == reason;
            }
            catch (final Exception ex)
            {
                System.out.println("FLOW flow=" + flow + " failed=" + ex);
                return false;
            }
        }
    }
}
