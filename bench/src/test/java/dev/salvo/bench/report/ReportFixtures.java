package dev.salvo.bench.report;

import java.util.ArrayList;
import java.util.List;

/** Builds raw driver lines for the report tests. */
final class ReportFixtures
{
    private ReportFixtures()
    {
    }

    /** A RESULT line received at {@code mibPerSecond} over one second with {@code lost} of 1000 datagrams lost. */
    static BenchLine result(
        final String impl, final String mode, final int size, final int batch, final int run, final double mibPerSecond, final long lost)
    {
        final long rxBytes = (long)(mibPerSecond * CellSummary.MIB);
        final long tx = 1000;
        return BenchLine.parse("RESULT impl=" + impl + " mode=" + mode + " size=" + size + " batch=" + batch + " run=" + run +
            " seconds=1.000000 tx_datagrams=" + tx + " rx_datagrams=" + (tx - lost) + " rx_bytes=" + rxBytes +
            " lost=" + lost + " tx_syscalls=" + (tx / batch) + " rx_syscalls=" + (tx - lost) / 5);
    }

    /** Three runs of one cell at the given MiB/s, no loss. */
    static List<BenchLine> cell(final String impl, final String mode, final int size, final int batch, final double... mib)
    {
        final List<BenchLine> lines = new ArrayList<>();
        for (int i = 0; i < mib.length; i++)
        {
            lines.add(result(impl, mode, size, batch, i + 1, mib[i], 0));
        }
        return lines;
    }
}
