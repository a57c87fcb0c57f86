/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;

/**
 * Idle cost: one transport holding {@code peers × perPeer} open connections (from {@code peers} other transports in
 * this process, {@code perPeer} connections each), all idle, default settings (park idle strategy, keep-alives
 * every 10 s). After the connections are up and the JIT has settled (the settle period), the whole process's CPU time
 * is read ({@link ProcessCpu}: every thread — all transports' I/O threads, GC, JIT) before and after a measured
 * wall-clock window. Reported as percent of one core, plus the measured transport's I/O
 * thread alone.
 */
final class IdleConnections
{
    private IdleConnections()
    {
    }

    static void run(final int peers, final int perPeer, final double settle, final double seconds) throws Exception
    {
        final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        final StaticKeyPair serverKey = StaticKeyPair.generate();
        final ConnectionHandler quiet = (connection, buffer, offset, length) -> { };
        final List<Transport> transports = new ArrayList<>();
        try (Transport server = Transport.open(new TransportConfig(loopback, serverKey)
            .threadName("idle-server-io").acceptHandler(connection -> quiet)))
        {
            final List<Connection> connections = new ArrayList<>();
            for (int p = 0; p < peers; p++)
            {
                final Transport peer = Transport.open(new TransportConfig(loopback, StaticKeyPair.generate())
                    .threadName("idle-peer-" + p + "-io"));
                transports.add(peer);
                for (int c = 0; c < perPeer; c++)
                {
                    // One handshake at a time per peer: the responder takes a peer's initiations in timestamp order.
                    final Connection connection = peer.connect(server.localAddress(), serverKey.publicKey(), quiet)
                        .get(30, TimeUnit.SECONDS);
                    // The responder confirms a connection at the initiator's first data packet.
                    connection.trySend(new byte[1]);
                    connections.add(connection);
                }
            }
            TransportBench.waitFor(settle);
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            final long ioThread = server.ioThread().getId();
            final long cpu0 = ProcessCpu.nanos();
            final long proc0 = ProcessCpu.procNanos();
            final long io0 = threads.getThreadCpuTime(ioThread);
            final long wake0 = server.stats().wakeupSignals();
            final long received0 = server.stats().datagramsReceived();
            final long start = System.nanoTime();
            TransportBench.waitFor(seconds);
            final long wall = System.nanoTime() - start;
            final long cpu = ProcessCpu.nanos() - cpu0;
            final long proc = ProcessCpu.procNanos() - proc0;
            final long io = threads.getThreadCpuTime(ioThread) - io0;
            TransportBench.result("idle", "connections=" + server.stats().openConnections(), "peers=" + peers,
                "seconds=" + TransportBench.format(wall / 1e9), "process_cpu_ms=" + TransportBench.format(cpu / 1e6),
                "core_percent=" + TransportBench.format(100.0 * cpu / wall),
                "io_thread_cpu_ms=" + TransportBench.format(io / 1e6),
                "io_thread_core_percent=" + TransportBench.format(100.0 * io / wall),
                "datagrams_received=" + (server.stats().datagramsReceived() - received0),
                "wakeups=" + (server.stats().wakeupSignals() - wake0),
                "proc_stat_cpu_ms=" + TransportBench.format(proc / 1e6));
            for (final Connection connection : connections)
            {
                connection.abort();
            }
        }
        finally
        {
            for (final Transport transport : transports)
            {
                transport.close();
            }
        }
    }
}
