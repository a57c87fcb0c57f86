/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.link;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel's TCP as a reference for {@link LinkPeers}: the same plan, message size, sampling period and sample
 * lines, so {@link LinkReport} measures a TCP run exactly as it measures a Salvo run (Jain's index of the bytes
 * accepted at the receiver per flow over the same window). The congestion controller is the namespace's
 * {@code net.ipv4.tcp_congestion_control} (the script sets it to {@code cubic}); Java cannot set
 * {@code TCP_CONGESTION} per socket.
 *
 * <p>A connection starts with its flow number (int32), then carries {@link LinkPeers#MESSAGE_SIZE}-byte messages
 * (flow int32, index int64, filler) until the sender shuts its output; the receiver then closes, which tells
 * the sender that every byte arrived.
 *
 * <p>The sender's {@code TX} lines come from {@code ss -tinH} run in its namespace every sample: {@code cwnd} =
 * cwnd × mss bytes, {@code srttUs} = the kernel's smoothed RTT, {@code packetsSent} = data segments sent,
 * {@code packetsRetransmitted} = segments retransmitted in total, {@code packetsLost} = segments currently
 * marked lost, {@code bytesSent}; {@code SS flow=F ...} lines keep the whole {@code ss} record (pacing rate,
 * delivery rate, congestion controller) of every sample. The receiver's {@code packetBytes} is TCP payload bytes.
 */
public final class LinkTcpPeers
{
    /** How long one {@code ss} call may take before the sample is skipped. */
    static final long SS_TIMEOUT_MS = 2_000;

    private LinkTcpPeers()
    {
    }

    /**
     * Receiver: {@code ADDRESS PORT FLOWS SECONDS}. Accepts FLOWS connections, counts payload bytes per flow until
     * every connection reached end of stream or SECONDS passed, then prints {@code RXFLOW} lines and exits 0 if
     * every message index arrived in order.
     */
    public static final class Receiver
    {
        public static void main(final String[] args) throws Exception
        {
            LinkPeers.startWatchdog("receiver");
            final InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
            final int flows = Integer.parseInt(args[2]);
            final long limitNs = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
            final AtomicLong[] bytes = new AtomicLong[flows];
            final AtomicReferenceArray<String> closed = new AtomicReferenceArray<>(flows);
            final CountDownLatch allClosed = new CountDownLatch(flows);
            for (int f = 0; f < flows; f++)
            {
                bytes[f] = new AtomicLong(-1);
            }
            try (ServerSocketChannel server = ServerSocketChannel.open())
            {
                server.bind(bind, flows);
                System.out.println("READY " + server.getLocalAddress() + " io=kernel-tcp");
                System.out.flush();
                final Thread acceptor = new Thread(() ->
                {
                    for (int i = 0; i < flows; i++)
                    {
                        try
                        {
                            final SocketChannel channel = server.accept();
                            final Thread reader = new Thread(() -> receive(channel, flows, bytes, closed, allClosed), "rx-" + i);
                            reader.setDaemon(true);
                            reader.start();
                        }
                        catch (final IOException ex)
                        {
                            System.out.println("ACCEPT failed=" + ex);
                            return;
                        }
                    }
                }, "acceptor");
                acceptor.setDaemon(true);
                acceptor.start();
                final long start = System.nanoTime();
                long next = start;
                while (allClosed.getCount() > 0 && System.nanoTime() - start < limitNs)
                {
                    next += TimeUnit.MILLISECONDS.toNanos(LinkPeers.SAMPLE_INTERVAL_MS);
                    LinkPeers.sleepUntil(next);
                    final long t = System.currentTimeMillis();
                    final StringBuilder lines = new StringBuilder();
                    for (int f = 0; f < flows; f++)
                    {
                        final long received = bytes[f].get();
                        if (received >= 0)
                        {
                            lines.append("RX t=").append(t).append(" flow=").append(f).append(" bytes=").append(received)
                                .append(" messages=").append(received / LinkPeers.MESSAGE_SIZE)
                                .append(" packetBytes=").append(received).append('\n');
                        }
                    }
                    System.out.print(lines);
                    System.out.flush();
                }
                boolean clean = true;
                for (int f = 0; f < flows; f++)
                {
                    clean &= "EOF".equals(closed.get(f));
                }
                System.out.println("RECEIVER_DONE closedFlows=" + (flows - allClosed.getCount()) + " clean=" + clean);
                System.out.flush();
                Runtime.getRuntime().halt(clean ? 0 : 1);
            }
        }

        private static void receive(
            final SocketChannel channel,
            final int flows,
            final AtomicLong[] bytes,
            final AtomicReferenceArray<String> closed,
            final CountDownLatch allClosed)
        {
            int flow = -1;
            long received = 0;
            long maxGapNs = 0;
            String reason = "EOF";
            try (channel)
            {
                final ByteBuffer header = ByteBuffer.allocate(4);
                while (header.hasRemaining())
                {
                    if (channel.read(header) < 0)
                    {
                        return;
                    }
                }
                flow = header.getInt(0);
                if (flow < 0 || flow >= flows || !bytes[flow].compareAndSet(-1, 0))
                {
                    System.out.println("RX rejected flow=" + flow);
                    flow = -1;
                    return;
                }
                final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
                long last = System.nanoTime();
                int n;
                while ((n = channel.read(buffer)) >= 0)
                {
                    final long now = System.nanoTime();
                    maxGapNs = Math.max(maxGapNs, now - last);
                    last = now;
                    received += n;
                    bytes[flow].set(received);
                    buffer.clear();
                }
                if (0 != received % LinkPeers.MESSAGE_SIZE)
                {
                    reason = "PARTIAL_MESSAGE";
                }
            }
            catch (final IOException ex)
            {
                reason = ex.toString().replace(' ', '_');
            }
            finally
            {
                if (flow >= 0)
                {
                    closed.set(flow, reason);
                    final long messages = received / LinkPeers.MESSAGE_SIZE;
                    System.out.println("RXFLOW flow=" + flow + " messages=" + messages + " distinct=" + messages +
                        " duplicates=0 bytes=" + received + " maxGapMs=" + TimeUnit.NANOSECONDS.toMillis(maxGapNs) +
                        " closed=" + reason);
                    allClosed.countDown();
                }
            }
        }
    }

    /**
     * Sender: {@code ADDRESS PORT FLOW:START_MS:DURATION_MS[,...]} as {@link LinkPeers.Sender}: every flow's
     * connection is opened first, then each writes messages with blocking writes from START_MS to START_MS +
     * DURATION_MS after the common start, shuts its output and waits for the receiver to close.
     */
    public static final class Sender
    {
        public static void main(final String[] args) throws Exception
        {
            LinkPeers.startWatchdog("sender");
            final InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
            final List<long[]> plan = new ArrayList<>();
            for (final String part : args[2].split(","))
            {
                final String[] fields = part.split(":");
                plan.add(new long[] { Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]) });
            }
            final int count = plan.size();
            final SocketChannel[] channels = new SocketChannel[count];
            final Map<Integer, Integer> slotOfPort = new HashMap<>();
            final Thread[] threads = new Thread[count];
            final boolean[] ok = new boolean[count];
            for (int i = 0; i < count; i++)
            {
                channels[i] = SocketChannel.open(peer);
                channels[i].write(ByteBuffer.allocate(4).putInt(0, (int)plan.get(i)[0]));
                slotOfPort.put(((InetSocketAddress)channels[i].getLocalAddress()).getPort(), i);
            }
            final long startNs = System.nanoTime();
            for (int i = 0; i < count; i++)
            {
                final int slot = i;
                final long[] step = plan.get(i);
                threads[i] = new Thread(() -> ok[slot] = runFlow((int)step[0], channels[slot],
                    startNs + TimeUnit.MILLISECONDS.toNanos(step[1]), startNs + TimeUnit.MILLISECONDS.toNanos(step[1] + step[2])),
                    "flow-" + step[0]);
                threads[i].start();
            }
            final long[][] last = new long[count][];
            boolean running = true;
            long next = startNs;
            while (running && System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(LinkPeers.WATCHDOG_MS))
            {
                next += TimeUnit.MILLISECONDS.toNanos(LinkPeers.SAMPLE_INTERVAL_MS);
                LinkPeers.sleepUntil(next);
                final long t = System.currentTimeMillis();
                final long linkTxBytes = LinkPeers.Sender.linkTxBytes();
                final Map<Integer, String> records = socketRecords(peer);
                final StringBuilder lines = new StringBuilder();
                running = false;
                for (int i = 0; i < count; i++)
                {
                    running |= threads[i].isAlive();
                    final int port = ((InetSocketAddress)channels[i].socket().getLocalSocketAddress()).getPort();
                    final String record = records.get(port);
                    if (null != record)
                    {
                        final long mss = number(record, "mss:", 1448);
                        last[i] = new long[] {
                            number(record, "data_segs_out:", 0), retransmittedTotal(record), number(record, "lost:", 0),
                            number(record, "cwnd:", 0) * mss, rttUs(record), number(record, "bytes_sent:", 0) };
                        lines.append("SS flow=").append(plan.get(i)[0]).append(" t=").append(t).append(' ')
                            .append(record).append('\n');
                    }
                    if (null != last[i])
                    {
                        lines.append("TX t=").append(t).append(" flow=").append(plan.get(i)[0])
                            .append(" acked=0 packetsSent=").append(last[i][0])
                            .append(" packetsRetransmitted=").append(last[i][1])
                            .append(" packetsLost=").append(last[i][2])
                            .append(" cwnd=").append(last[i][3])
                            .append(" srttUs=").append(last[i][4])
                            .append(" bytesSent=").append(last[i][5])
                            .append(" linkTxBytes=").append(linkTxBytes).append('\n');
                    }
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

        private static boolean runFlow(final int flow, final SocketChannel channel, final long startNs, final long stopNs)
        {
            try (channel)
            {
                LinkPeers.sleepUntil(startNs);
                final ByteBuffer message = ByteBuffer.allocateDirect(LinkPeers.MESSAGE_SIZE);
                for (int i = LinkPeers.HEADER_LENGTH; i < LinkPeers.MESSAGE_SIZE; i++)
                {
                    message.put(i, (byte)(i * 31 + flow));
                }
                long sent = 0;
                while (System.nanoTime() - stopNs < 0)
                {
                    message.clear();
                    message.putInt(0, flow).putLong(4, sent);
                    while (message.hasRemaining())
                    {
                        channel.write(message);
                    }
                    if (0 == sent++)
                    {
                        System.out.println("SENDING flow=" + flow + " t=" + System.currentTimeMillis());
                    }
                }
                channel.shutdownOutput();
                channel.socket().setSoTimeout((int)LinkPeers.DRAIN_TIMEOUT_MS);
                final boolean allAcknowledged = channel.socket().getInputStream().read() < 0; // the receiver closes
                System.out.println("FLOW flow=" + flow + " messages=" + sent + " bytes=" + sent * LinkPeers.MESSAGE_SIZE +
                    " acknowledged=" + (allAcknowledged ? sent : -1) + " allAcknowledged=" + allAcknowledged +
                    " closed=LOCAL_CLOSE");
                return allAcknowledged;
            }
            catch (final IOException | RuntimeException ex)
            {
                System.out.println("FLOW flow=" + flow + " failed=" + ex);
                return false;
            }
        }

        /** @return {@code ss -tinH} records of established connections to the peer, by local port (one line each). */
        static Map<Integer, String> socketRecords(final InetSocketAddress peer)
        {
            final Map<Integer, String> records = new HashMap<>();
            try
            {
                final Process ss = new ProcessBuilder("ss", "-tinH", "state", "established",
                    "dst", peer.getAddress().getHostAddress() + ":" + peer.getPort()).redirectErrorStream(true).start();
                final String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!ss.waitFor(SS_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                {
                    ss.destroyForcibly();
                    return records;
                }
                int port = -1;
                for (final String line : output.split("\n"))
                {
                    if (line.isBlank())
                    {
                        continue;
                    }
                    if (!Character.isWhitespace(line.charAt(0)))
                    {
                        port = localPort(line);
                    }
                    else if (port > 0)
                    {
                        records.put(port, line.trim());
                        port = -1;
                    }
                }
            }
            catch (final IOException ex)
            {
                System.out.println("SS failed=" + ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return records;
        }

        /** @return the local port of an {@code ss} address line ({@code Recv-Q Send-Q LOCAL:PORT PEER:PORT}). */
        static int localPort(final String line)
        {
            final String[] tokens = line.trim().split("\\s+");
            for (final String token : tokens)
            {
                final int colon = token.lastIndexOf(':');
                if (colon > 0)
                {
                    try
                    {
                        return Integer.parseInt(token.substring(colon + 1));
                    }
                    catch (final NumberFormatException ex)
                    {
                        return -1;
                    }
                }
            }
            return -1;
        }

        /** @return the integer after {@code key} in an {@code ss} record (up to a space, '/' or ','), or the default. */
        static long number(final String record, final String key, final long otherwise)
        {
            int at = record.indexOf(' ' + key);
            if (at < 0)
            {
                if (!record.startsWith(key))
                {
                    return otherwise;
                }
                at = -1;
            }
            final int from = at + 1 + key.length();
            int to = from;
            while (to < record.length() && Character.isDigit(record.charAt(to)))
            {
                to++;
            }
            return to == from ? otherwise : Long.parseLong(record.substring(from, to));
        }

        /** @return {@code retrans:CURRENT/TOTAL}'s total, 0 if absent. */
        static long retransmittedTotal(final String record)
        {
            final int at = record.indexOf(" retrans:");
            if (at < 0)
            {
                return 0;
            }
            final int slash = record.indexOf('/', at);
            return slash < 0 ? 0 : number(record.substring(slash), "/", 0);
        }

        /** @return {@code rtt:SRTT/RTTVAR} (milliseconds, fractional) as microseconds; 0 if absent. */
        static long rttUs(final String record)
        {
            final int at = record.indexOf(" rtt:");
            if (at < 0)
            {
                return 0;
            }
            final int end = record.indexOf('/', at);
            try
            {
                return Math.round(1000 * Double.parseDouble(record.substring(at + 5, end)));
            }
            catch (final RuntimeException ex)
            {
                return 0;
            }
        }
    }
}
