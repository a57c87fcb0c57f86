/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

import dev.salvo.TransportConfig;
import dev.salvo.io.IoCapabilities;
import dev.salvo.io.NativeLibrary;

/**
 * End-to-end transport benchmarks of issue 4 (E1 bulk throughput, E2 round-trip latency, idle cost) with their
 * references, one subcommand per cell; {@code scripts/run_transport_benchmarks.sh} runs the set and writes the
 * Markdown summary ({@link TransportReport}).
 *
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp bench/target/salvo-bench.jar \
 *   dev.salvo.bench.transport.TransportBench SUBCOMMAND [--option value ...]
 *
 *   seal     --datagram 1472 [--warmup 1 --seconds 2 --runs 3]   single-core sealBatch rate (the E1 reference)
 *   baseline --datagram 1472 [--warmup 1 --seconds 3 --runs 3]   per-packet DatagramChannel pipe (the E1 baseline)
 *   e1       --io native|nio --datagram 1472|0 (0: path MTU discovery) [--message 1048576 --warmup 10 --seconds 5 --runs 3]
 *   e2       --idle park|spin --batching on|off [--wait park|spin --warmup-count 5000 --count 100000 --seconds 5]
 *   idle     [--peers 10 --per-peer 10 --settle 3 --seconds 10]
 * </pre>
 *
 * Each measured run prints {@code RESULT bench=<subcommand> key=value ...} on stdout; an unavailable cell prints
 * {@code SKIP bench=.. reason=..} and exits 0. A watchdog ends the JVM (status 2) if a cell overruns its budget.
 */
public final class TransportBench
{
    private TransportBench()
    {
    }

    /**
     * @param args subcommand and options (see the class comment).
     */
    public static void main(final String[] args) throws Exception
    {
        if (0 == args.length)
        {
            usage("missing subcommand");
        }
        final String command = args[0];
        final BenchOptions options;
        try
        {
            options = new BenchOptions(args, 1);
        }
        catch (final IllegalArgumentException ex)
        {
            usage(ex.getMessage());
            return;
        }
        final double seconds = options.seconds("seconds", "idle".equals(command) ? 10 : "baseline".equals(command) ? 3 :
            "seal".equals(command) ? 2 : 5);
        final double warmup = options.seconds("warmup", "e1".equals(command) ? 10 : 1);
        final int runs = options.integer("runs", 3, 1, 20);
        startWatchdog((long)((warmup + runs * (seconds + 2) + 60) * 1000));
        switch (command)
        {
            case "seal":
                SealRate.run(options.integer("datagram", 1472, 128, 65_507), warmup, seconds, runs);
                break;
            case "baseline":
                PerPacketPipe.run(options.integer("datagram", 1472, 128, 65_507), warmup, seconds, runs);
                break;
            case "e1":
            {
                final boolean nativeIo = options.flag("io", "native", "nio", "native");
                if (nativeIo && !NativeLibrary.isAvailable())
                {
                    skip("e1", "native shim unavailable: " + NativeLibrary.description());
                    return;
                }
                BulkThroughput.run(nativeIo, options.integer("datagram", 1472, 0, 65_507),
                    options.integer("message", 1 << 20, 1, 1 << 30), warmup, seconds, runs);
                break;
            }
            case "e2":
            {
                final TransportConfig.IdleStrategy idle = options.flag("idle", "spin", "park", "park") ?
                    TransportConfig.IdleStrategy.SPIN : TransportConfig.IdleStrategy.PARK;
                PingPongLatency.run(idle, options.flag("batching", "on", "off", "on"),
                    options.flag("wait", "spin", "park", "park"), options.integer("warmup-count", 5_000, 0, 10_000_000),
                    options.integer("count", 100_000, 1, 100_000_000), seconds);
                break;
            }
            case "idle":
                IdleConnections.run(options.integer("peers", 10, 1, 1000), options.integer("per-peer", 10, 1, 1000),
                    options.seconds("settle", 3), seconds);
                break;
            default:
                usage("unknown subcommand " + command);
        }
        System.out.flush();
        System.exit(0); // transports' daemon threads and closing sockets must not keep a finished cell alive
    }

    static void result(final String bench, final String... fields)
    {
        System.out.println("RESULT bench=" + bench + " " + String.join(" ", fields));
        System.out.flush();
    }

    static void skip(final String bench, final String reason)
    {
        System.out.println("SKIP bench=" + bench + " reason=" + reason.replace(' ', '_'));
    }

    /** @return e.g. {@code native+mmsg+gso+gro} or {@code nio}. */
    static String describe(final IoCapabilities capabilities)
    {
        return capabilities.implementation() + (capabilities.batchSyscalls() ? "+mmsg" : "") +
            (capabilities.gso() ? "+gso" : "") + (capabilities.gro() ? "+gro" : "");
    }

    static String format(final double value)
    {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Lets a measurement window pass (the benchmark's clock, not synchronisation). */
    static void waitFor(final double seconds)
    {
        final long deadline = System.nanoTime() + (long)(seconds * 1e9);
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime())
        {
            LockSupport.parkNanos(left);
        }
    }

    private static void startWatchdog(final long budgetMillis)
    {
        final Thread watchdog = new Thread(() ->
        {
            waitFor(budgetMillis / 1000.0);
            System.err.println("TransportBench: watchdog fired after " + budgetMillis + " ms");
            Runtime.getRuntime().halt(2);
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void usage(final String problem)
    {
        System.err.println("TransportBench: " + problem + "\nusage: TransportBench seal|baseline|e1|e2|idle [--option value ...]" +
            " (see the class Javadoc)");
        System.exit(64);
    }
}
