package dev.salvo.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The throughput bars of issue 2, checked against one run's results:
 * <ul>
 *   <li>Java sendmmsg/recvmmsg at 1400 bytes, batch 64: at least 90% of the C ceiling;</li>
 *   <li>Java GSO/GRO at 1400 bytes (best batch, and batch 64): at least 8x Java NIO per packet;</li>
 *   <li>syscalls per datagram at Java mmsg 1400 bytes, batch 64: at most 1/50 (perf if counted,
 *       else the driver's own counters), on the send and on the receive side.</li>
 * </ul>
 */
public final class BarChecks
{
    /** Payload size the bars are defined at. */
    public static final int BAR_SIZE = 1400;
    /** Batch the bars are defined at. */
    public static final int BAR_BATCH = 64;
    /** Java mmsg must reach this fraction of C mmsg. */
    public static final double MMSG_TO_C_BAR = 0.90;
    /** Java GSO must reach this multiple of Java NIO per packet. */
    public static final double GSO_TO_NIO_BAR = 8.0;
    /** Syscalls per datagram must not exceed this. */
    public static final double SYSCALLS_PER_DATAGRAM_BAR = 1.0 / 50.0;

    /**
     * Outcome of one bar.
     */
    public enum Verdict
    {
        /** Measured and met. */
        PASS,
        /** Measured and missed. */
        FAIL,
        /** A cell the bar needs was not measured in this run. */
        NOT_MEASURED
    }

    /**
     * One bar's outcome.
     *
     * @param bar     what the bar demands.
     * @param verdict the outcome.
     * @param detail  the figures behind it.
     */
    public record Check(String bar, Verdict verdict, String detail)
    {
    }

    private BarChecks()
    {
    }

    /**
     * @param results one run's results.
     * @return the checks in issue order.
     */
    public static List<Check> evaluate(final BenchResults results)
    {
        final List<Check> checks = new ArrayList<>();
        checks.add(mmsgAgainstC(results));
        checks.add(gsoAgainstNio(results, bestGsoBatch(results), true));
        checks.add(gsoAgainstNio(results, Optional.of(BAR_BATCH), false));
        checks.addAll(syscallsPerDatagram(results));
        return checks;
    }

    private static Check mmsgAgainstC(final BenchResults results)
    {
        final String bar = String.format(Locale.ROOT, "Java mmsg @ %d B x %d >= %.0f%% of C mmsg",
            BAR_SIZE, BAR_BATCH, MMSG_TO_C_BAR * 100);
        final CellKey javaKey = new CellKey("java", "mmsg", BAR_SIZE, BAR_BATCH);
        final Optional<Double> java = results.mibPerSecond(javaKey);
        final Optional<Double> c = results.mibPerSecond(javaKey.withImpl("c"));
        if (java.isEmpty() || c.isEmpty() || c.get() <= 0)
        {
            return new Check(bar, Verdict.NOT_MEASURED, missing(results, javaKey, javaKey.withImpl("c")));
        }
        final double ratio = java.get() / c.get();
        return new Check(bar, ratio >= MMSG_TO_C_BAR ? Verdict.PASS : Verdict.FAIL, String.format(Locale.ROOT,
            "Java %.1f MiB/s / C %.1f MiB/s = %.1f%%", java.get(), c.get(), ratio * 100));
    }

    private static Optional<Integer> bestGsoBatch(final BenchResults results)
    {
        CellSummary best = null;
        for (final CellSummary cell : results.cells())
        {
            final CellKey key = cell.key();
            if (cell.measured() && "java".equals(key.impl()) && "gso".equals(key.mode()) && key.size() == BAR_SIZE &&
                (best == null || cell.medianBytesPerSecond() > best.medianBytesPerSecond()))
            {
                best = cell;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.key().batch());
    }

    private static Check gsoAgainstNio(final BenchResults results, final Optional<Integer> gsoBatch, final boolean best)
    {
        final String bar = String.format(Locale.ROOT, "Java gso @ %d B, %s >= %.0fx Java nio @ %d B",
            BAR_SIZE, best ? "best batch" : "batch " + BAR_BATCH, GSO_TO_NIO_BAR, BAR_SIZE);
        final CellKey nioKey = new CellKey("java", "nio", BAR_SIZE, 1);
        final Optional<Double> nio = results.mibPerSecond(nioKey);
        if (gsoBatch.isEmpty())
        {
            return new Check(bar, Verdict.NOT_MEASURED, "no measured Java gso cell at " + BAR_SIZE + " B");
        }
        final CellKey gsoKey = new CellKey("java", "gso", BAR_SIZE, gsoBatch.get());
        final Optional<Double> gso = results.mibPerSecond(gsoKey);
        if (gso.isEmpty() || nio.isEmpty() || nio.get() <= 0)
        {
            return new Check(bar, Verdict.NOT_MEASURED, missing(results, gsoKey, nioKey));
        }
        final double speedup = gso.get() / nio.get();
        return new Check(bar, speedup >= GSO_TO_NIO_BAR ? Verdict.PASS : Verdict.FAIL, String.format(Locale.ROOT,
            "gso batch %d %.1f MiB/s / nio %.1f MiB/s = %.1fx", gsoBatch.get(), gso.get(), nio.get(), speedup));
    }

    private static List<Check> syscallsPerDatagram(final BenchResults results)
    {
        final CellKey key = new CellKey("java", "mmsg", BAR_SIZE, BAR_BATCH);
        final String bar = String.format(Locale.ROOT, "Syscalls per datagram, Java mmsg @ %d B x %d <= 1/%.0f",
            BAR_SIZE, BAR_BATCH, 1.0 / SYSCALLS_PER_DATAGRAM_BAR);
        final PerfCount perf = results.perfCounts().get(key);
        final double send;
        final double receive;
        final String source;
        if (perf != null)
        {
            send = perf.sendCallsPerDatagram();
            receive = perf.receiveCallsPerDatagram();
            source = String.format(Locale.ROOT, "perf: %d send calls / %d datagrams, %d receive calls / %d datagrams",
                perf.sendCalls(), perf.txDatagrams(), perf.receiveCalls(), perf.rxDatagrams());
        }
        else
        {
            final Optional<CellSummary> cell = results.cell(key).filter(CellSummary::measured);
            if (cell.isEmpty())
            {
                return List.of(
                    new Check(bar + " (send)", Verdict.NOT_MEASURED, missing(results, key)),
                    new Check(bar + " (receive)", Verdict.NOT_MEASURED, missing(results, key)));
            }
            send = cell.get().txSyscallsPerDatagram();
            receive = cell.get().rxSyscallsPerDatagram();
            source = "driver counters (perf not available)";
        }
        return List.of(perCall(bar + " (send)", send, source), perCall(bar + " (receive)", receive, source));
    }

    private static Check perCall(final String bar, final double perDatagram, final String source)
    {
        if (Double.isNaN(perDatagram))
        {
            return new Check(bar, Verdict.NOT_MEASURED, source);
        }
        final Verdict verdict = perDatagram <= SYSCALLS_PER_DATAGRAM_BAR ? Verdict.PASS : Verdict.FAIL;
        return new Check(bar, verdict, String.format(Locale.ROOT, "%.4f per datagram (1/%.1f); %s",
            perDatagram, perDatagram > 0 ? 1.0 / perDatagram : Double.POSITIVE_INFINITY, source));
    }

    private static String missing(final BenchResults results, final CellKey... keys)
    {
        final StringBuilder builder = new StringBuilder();
        for (final CellKey key : keys)
        {
            final Optional<CellSummary> cell = results.cell(key);
            if (cell.isEmpty() || !cell.get().measured())
            {
                if (builder.length() > 0)
                {
                    builder.append("; ");
                }
                builder.append(key.impl()).append(' ').append(key.mode()).append(' ').append(key.size())
                    .append(" B x ").append(key.batch()).append(": ")
                    .append(cell.map(c -> c.status() + (c.reason().isEmpty() ? "" : " " + c.reason())).orElse("not run"));
            }
        }
        return builder.toString();
    }
}
