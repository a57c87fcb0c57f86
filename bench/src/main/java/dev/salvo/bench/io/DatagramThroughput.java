/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.io;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.salvo.io.DatagramEndpoint;
import dev.salvo.io.EndpointConfig;
import dev.salvo.io.EndpointStats;
import dev.salvo.io.NativeDatagramEndpoint;
import dev.salvo.io.NativeLibrary;
import dev.salvo.io.NioDatagramEndpoint;
import dev.salvo.io.PeerAddress;
import dev.salvo.io.ReceiveBatch;
import dev.salvo.io.SendBatch;
import dev.salvo.io.SendEntryDescriptor;

/**
 * End-to-end loopback throughput of the I/O layer: one process, a sender thread and a receiver
 * thread, two sockets on 127.0.0.1 (or ::1).
 *
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp bench/target/salvo-bench.jar \
 *   dev.salvo.bench.io.DatagramThroughput --mode nio|mmsg|gso --size BYTES --batch N \
 *   --seconds S --warmup S --runs R [--ipv6] [--rx-coalesce-us US]
 * </pre>
 *
 * Modes: {@code nio} the NIO fallback endpoint (one system call per datagram behind the batch
 * API); {@code mmsg} native sendmmsg/recvmmsg with N datagrams per send call; {@code gso} native
 * GSO sender (N datagrams per call, packed into trains of at most 64 segments and 65,507 bytes)
 * into a native GRO receiver. After the warm-up, each of R runs prints one line to stdout:
 * <pre>
 * RESULT impl=java mode=.. size=.. batch=.. run=i seconds=.. tx_datagrams=.. rx_datagrams=..
 *   rx_bytes=.. lost=.. tx_syscalls=.. rx_syscalls=..
 * </pre>
 * ({@code lost} = tx − rx after a short drain.) The receiver makes one waiting receive per wake-up
 * ({@code DatagramEndpoint.receive(batch, 10 ms)}); {@code --rx-coalesce-us} (default 0, off) sets the
 * receiver endpoint's receive coalescing window ({@code EndpointConfig.receiveCoalescingNanos}) in modes
 * mmsg and gso, as the C ceiling's option of the same name; {@code rx_syscalls} then includes the
 * coalescing sleeps. An unavailable mode prints
 * {@code SKIP impl=java mode=.. reason=..} and exits 0. Diagnostics go to stderr. A watchdog
 * bounds the whole run.
 */
public final class DatagramThroughput
{
    private static final long DRAIN_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long DRAIN_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The receiver's idle bound, as the C ceiling's SO_RCVTIMEO (RX_TIMEOUT_US). */
    private static final long RECEIVE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String mode;
    private final int size;
    private final int batchSize;
    private final DatagramEndpoint sender;
    private final DatagramEndpoint receiver;

    private volatile boolean sending;
    private volatile boolean finished;
    private volatile long receivedDatagrams;
    private volatile long receivedBytes;
    private volatile Throwable failure;

    private DatagramThroughput(
        final String mode, final int size, final int batchSize, final DatagramEndpoint sender, final DatagramEndpoint receiver)
    {
        this.mode = mode;
        this.size = size;
        this.batchSize = batchSize;
        this.sender = sender;
        this.receiver = receiver;
    }

    /**
     * Entry point; see the class comment for the arguments.
     *
     * @param args command line.
     * @throws Exception on a setup failure.
     */
    public static void main(final String[] args) throws Exception
    {
        String mode = null;
        int size = 1400;
        int batch = 64;
        double seconds = 5;
        double warmup = 2;
        int runs = 3;
        boolean ipv6 = false;
        long rxCoalesceMicros = 0;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--mode": mode = args[++i]; break;
                case "--size": size = Integer.parseInt(args[++i]); break;
                case "--batch": batch = Integer.parseInt(args[++i]); break;
                case "--seconds": seconds = Double.parseDouble(args[++i]); break;
                case "--warmup": warmup = Double.parseDouble(args[++i]); break;
                case "--runs": runs = Integer.parseInt(args[++i]); break;
                case "--ipv6": ipv6 = true; break;
                case "--rx-coalesce-us": rxCoalesceMicros = Long.parseLong(args[++i]); break;
                default: usage("unknown argument " + args[i]);
            }
        }
        if (null == mode || !(mode.equals("nio") || mode.equals("mmsg") || mode.equals("gso")))
        {
            usage("--mode must be nio, mmsg or gso");
        }
        final int maxSize = ipv6 ? 65_536 - 48 : SendEntryDescriptor.MAX_IPV4_PAYLOAD;
        if (size < 1 || size > maxSize || batch < 1 || batch > 65_536 || seconds <= 0 || warmup < 0 || runs < 1 ||
            rxCoalesceMicros < 0 || rxCoalesceMicros > EndpointConfig.RECEIVE_COALESCING_NANOS_MAX / 1000)
        {
            usage("size 1.." + maxSize + ", batch 1..65536, seconds > 0, warmup >= 0, runs >= 1, rx-coalesce-us 0.." +
                EndpointConfig.RECEIVE_COALESCING_NANOS_MAX / 1000);
        }

        final long budgetMillis = (long)((warmup + runs * (seconds + 3)) * 1000) + 30_000;
        final Thread watchdog = new Thread(() ->
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(budgetMillis));
            System.err.println("DatagramThroughput: watchdog fired after " + budgetMillis + " ms");
            System.exit(2);
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        if (!mode.equals("nio") && !NativeLibrary.isAvailable())
        {
            skip(mode, "native shim unavailable: " + NativeLibrary.description());
            return;
        }
        final InetAddress loopback = InetAddress.getByName(ipv6 ? "::1" : "127.0.0.1");
        final DatagramEndpoint receiver;
        final DatagramEndpoint sender;
        try
        {
            // Coalescing only for the batched modes, as in the C ceiling (its nio receiver has no batch).
            receiver = open(mode, loopback, mode.equals("nio") ? 0 : TimeUnit.MICROSECONDS.toNanos(rxCoalesceMicros));
            sender = open(mode, loopback, 0);
        }
        catch (final IOException ex)
        {
            skip(mode, "cannot open sockets: " + ex.getMessage());
            return;
        }
        if (mode.equals("gso") && !(sender.capabilities().gso() && receiver.capabilities().gro()))
        {
            skip(mode, "kernel lacks GSO/GRO: " + sender.capabilities());
            sender.close();
            receiver.close();
            return;
        }
        System.err.printf(Locale.ROOT, "DatagramThroughput: mode=%s size=%d batch=%d %s sndbuf=%d rcvbuf=%d rx-coalesce-us=%d%n",
            mode, size, batch, sender.capabilities(), sender.sendBufferSize(), receiver.receiveBufferSize(), rxCoalesceMicros);

        final DatagramThroughput benchmark = new DatagramThroughput(mode, size, batch, sender, receiver);
        try
        {
            benchmark.run(seconds, warmup, runs);
        }
        finally
        {
            sender.close();
            receiver.close();
        }
        if (null != benchmark.failure)
        {
            benchmark.failure.printStackTrace();
            System.exit(1);
        }
    }

    /** Socket buffers requested in the batch matrix. */
    private static final int MATRIX_SOCKET_BUFFER = 16 * 1024 * 1024;

    private static DatagramEndpoint open(final String mode, final InetAddress loopback, final long rxCoalesceNanos)
        throws IOException
    {
        // 16 MiB both ways, as in the recorded matrix runs (the library's receive default is now 64 MiB, for its
        // flow-control credit): the batch matrix compares system-call strategies, not buffer sizes.
        final EndpointConfig config = new EndpointConfig(new InetSocketAddress(loopback, 0))
            .receiveCoalescingNanos(rxCoalesceNanos).receiveBufferSize(MATRIX_SOCKET_BUFFER).sendBufferSize(MATRIX_SOCKET_BUFFER);
        switch (mode)
        {
            case "nio": return NioDatagramEndpoint.open(config);
            case "mmsg": return NativeDatagramEndpoint.open(config.gsoEnabled(false).groEnabled(false));
            default: return NativeDatagramEndpoint.open(config.gsoEnabled(true).groEnabled(true));
        }
    }

    private static void skip(final String mode, final String reason)
    {
        System.out.println("SKIP impl=java mode=" + mode + " reason=" + reason.replace(' ', '_'));
    }

    private static void usage(final String problem)
    {
        System.err.println("DatagramThroughput: " + problem);
        System.err.println(
            "usage: --mode nio|mmsg|gso --size BYTES --batch N --seconds S --warmup S --runs R [--ipv6] [--rx-coalesce-us US]");
        System.exit(64);
    }

    private void run(final double seconds, final double warmup, final int runs) throws InterruptedException
    {
        final Thread receiverThread = new Thread(this::receiveLoop, "receiver");
        final Thread senderThread = new Thread(this::sendLoop, "sender");
        receiverThread.start();
        senderThread.start();
        try
        {
            if (warmup > 0)
            {
                System.err.printf(Locale.ROOT, "warm-up %.1f s%n", warmup);
                measure(warmup);
            }
            for (int run = 1; run <= runs && null == failure; run++)
            {
                final Sample sample = measure(seconds);
                System.out.printf(Locale.ROOT,
                    "RESULT impl=java mode=%s size=%d batch=%d run=%d seconds=%.3f tx_datagrams=%d rx_datagrams=%d " +
                    "rx_bytes=%d lost=%d tx_syscalls=%d rx_syscalls=%d%n",
                    mode, size, batchSize, run, sample.seconds, sample.txDatagrams, sample.rxDatagrams, sample.rxBytes,
                    sample.txDatagrams - sample.rxDatagrams, sample.txSyscalls, sample.rxSyscalls);
                System.out.flush();
                System.err.printf(Locale.ROOT, "run %d: %.1f MiB/s received, %.4f syscalls/datagram sent%n", run,
                    sample.rxBytes / sample.seconds / (1024 * 1024),
                    sample.txDatagrams == 0 ? 0.0 : (double)sample.txSyscalls / sample.txDatagrams);
            }
        }
        finally
        {
            finished = true;
            sending = false;
            senderThread.join(5_000);
            receiverThread.join(5_000);
        }
    }

    private static final class Sample
    {
        double seconds;
        long txDatagrams;
        long rxDatagrams;
        long rxBytes;
        long txSyscalls;
        long rxSyscalls;
    }

    private Sample measure(final double seconds)
    {
        final EndpointStats tx = sender.stats();
        final EndpointStats rx = receiver.stats();
        final long tx0 = tx.datagramsSent();
        final long txCalls0 = tx.sendSyscalls();
        final long rx0 = receivedDatagrams;
        final long rxBytes0 = receivedBytes;
        final long rxCalls0 = rx.receiveSyscalls();

        final long start = System.nanoTime();
        sending = true;
        final long end = start + (long)(seconds * 1e9);
        while (System.nanoTime() < end && null == failure)
        {
            LockSupport.parkNanos(Math.min(50_000_000L, Math.max(1, end - System.nanoTime())));
        }
        sending = false;
        final long elapsed = System.nanoTime() - start;

        // Drain: wait until the receiver has been quiet for a moment (bounded).
        final long drainEnd = System.nanoTime() + DRAIN_MAX_NANOS;
        long last = receivedDatagrams;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < drainEnd && System.nanoTime() - quietSince < DRAIN_QUIET_NANOS)
        {
            LockSupport.parkNanos(10_000_000L);
            final long now = receivedDatagrams;
            if (now != last)
            {
                last = now;
                quietSince = System.nanoTime();
            }
        }

        final Sample sample = new Sample();
        sample.seconds = elapsed / 1e9;
        sample.txDatagrams = tx.datagramsSent() - tx0;
        sample.txSyscalls = tx.sendSyscalls() - txCalls0;
        sample.rxDatagrams = receivedDatagrams - rx0;
        sample.rxBytes = receivedBytes - rxBytes0;
        sample.rxSyscalls = rx.receiveSyscalls() - rxCalls0;
        return sample;
    }

    private void sendLoop()
    {
        try
        {
            final PeerAddress destination = PeerAddress.of(receiver.localAddress());
            final SendBatch batch = new SendBatch(batchSize, batchSize * size);
            for (int i = 0; i < batchSize; i++)
            {
                final int offset = mode.equals("gso") ? batch.addCoalescing(destination, size) : batch.add(destination, size);
                batch.buffer().setMemory(offset, size, (byte)i);
            }
            System.err.printf(Locale.ROOT, "sender: %d datagrams in %d entries per batch%n",
                batch.datagramCount(), batch.entryCount());
            while (!finished)
            {
                if (!sending)
                {
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                batch.rewind();
                while (!batch.isFullySent() && sending)
                {
                    if (0 == sender.send(batch) && !batch.isFullySent())
                    {
                        Thread.onSpinWait(); // socket buffer full: retry
                    }
                }
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }

    private void receiveLoop()
    {
        try
        {
            final int slots = mode.equals("gso") ? Math.min(batchSize, 64) : Math.min(batchSize, 1024);
            final ReceiveBatch batch = receiver.newReceiveBatch(Math.max(1, slots), size);
            long datagrams = 0;
            long bytes = 0;
            while (!finished)
            {
                // One waiting receive per wake-up (native: recvmmsg with MSG_WAITFORONE, bounded by
                // SO_RCVTIMEO), as the C ceiling's receiver does; the timeout only bounds idle waits.
                final int n = receiver.receive(batch, RECEIVE_TIMEOUT_NANOS);
                if (0 == n)
                {
                    continue;
                }
                for (int i = 0; i < n; i++)
                {
                    bytes += batch.length(i);
                }
                datagrams += n;
                receivedDatagrams = datagrams;
                receivedBytes = bytes;
            }
        }
        catch (final Throwable ex)
        {
            if (!finished)
            {
                failure = ex;
            }
        }
    }
}
