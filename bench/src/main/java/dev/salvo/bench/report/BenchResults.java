package dev.salvo.bench.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * All cells of one benchmark run, aggregated from the raw driver lines: one {@link CellSummary} per
 * cell (medians over its runs) plus any {@link PerfCount}s.
 */
public final class BenchResults
{
    /** Header of results.csv, one row per cell. */
    public static final String CSV_HEADER = "impl,mode,size,batch,status,runs,median_bytes_per_s,median_mib_per_s,"
        + "median_loss_pct,tx_syscalls_per_datagram,rx_syscalls_per_datagram,note";

    private final Map<CellKey, CellSummary> cells;
    private final Map<CellKey, PerfCount> perfCounts;

    private BenchResults(final Map<CellKey, CellSummary> cells, final Map<CellKey, PerfCount> perfCounts)
    {
        this.cells = Collections.unmodifiableMap(cells);
        this.perfCounts = Collections.unmodifiableMap(perfCounts);
    }

    /**
     * Reads a raw file of driver and script lines; unknown lines (progress, blank) are ignored.
     *
     * @param raw path of the raw file.
     * @return the aggregated results.
     * @throws IOException if the file cannot be read.
     */
    public static BenchResults read(final Path raw) throws IOException
    {
        final List<BenchLine> lines = new ArrayList<>();
        for (final String text : Files.readAllLines(raw, StandardCharsets.UTF_8))
        {
            final BenchLine line = BenchLine.parse(text);
            if (line != null)
            {
                lines.add(line);
            }
        }
        return from(lines);
    }

    /**
     * Aggregates parsed lines: RESULT lines of the same cell become one summary with medians; a cell
     * with no RESULT becomes SKIP (if the driver skipped it) or FAIL.
     *
     * @param lines parsed lines in any order.
     * @return the aggregated results.
     */
    public static BenchResults from(final Collection<BenchLine> lines)
    {
        final Map<CellKey, List<BenchLine>> runsByCell = new TreeMap<>();
        final Map<CellKey, String> skipped = new TreeMap<>();
        final Map<CellKey, String> failed = new TreeMap<>();
        final Map<CellKey, PerfCount> perf = new TreeMap<>();
        for (final BenchLine line : lines)
        {
            try
            {
                final CellKey key = line.cellKey();
                if (BenchLine.RESULT.equals(line.kind()))
                {
                    validRun(line);
                }
                switch (line.kind())
                {
                    case BenchLine.RESULT -> runsByCell.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
                    case BenchLine.SKIP -> skipped.put(key, reasonOf(line));
                    case BenchLine.FAIL -> failed.put(key, reasonOf(line));
                    case BenchLine.PERF -> perf.put(key, PerfCount.from(line));
                    default -> throw new IllegalStateException("unexpected kind " + line.kind());
                }
            }
            catch (final IllegalArgumentException ex)
            {
                // One malformed line (e.g. a driver printing a field it should not) must not sink the report.
                System.err.println("BenchResults: ignoring malformed line: " + ex.getMessage());
            }
        }

        final Map<CellKey, CellSummary> cells = new TreeMap<>();
        runsByCell.forEach((key, runs) -> cells.put(key, summarise(key, runs, failed.get(key))));
        skipped.forEach((key, reason) -> cells.putIfAbsent(
            key, new CellSummary(key, CellSummary.Status.SKIP, reason, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN)));
        failed.forEach((key, reason) -> cells.putIfAbsent(
            key, new CellSummary(key, CellSummary.Status.FAIL, reason, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN)));
        return new BenchResults(cells, perf);
    }

    /**
     * @param values sample (not modified).
     * @return the median (mean of the middle two for an even count), NaN when empty.
     */
    public static double median(final double[] values)
    {
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return (sorted.length & 1) == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    private static CellSummary summarise(final CellKey key, final List<BenchLine> runs, final String failure)
    {
        final int count = runs.size();
        final double[] bytesPerSecond = new double[count];
        final double[] lossPercent = new double[count];
        final double[] txCalls = new double[count];
        final double[] rxCalls = new double[count];
        for (int i = 0; i < count; i++)
        {
            final BenchLine run = runs.get(i);
            final double seconds = run.getDouble("seconds");
            final long txDatagrams = run.getLong("tx_datagrams");
            final long rxDatagrams = run.getLong("rx_datagrams");
            bytesPerSecond[i] = seconds > 0 ? run.getLong("rx_bytes") / seconds : 0.0;
            lossPercent[i] = txDatagrams > 0 ? 100.0 * run.getLong("lost") / txDatagrams : 0.0;
            txCalls[i] = txDatagrams > 0 ? (double)run.getLong("tx_syscalls") / txDatagrams : Double.NaN;
            rxCalls[i] = rxDatagrams > 0 ? (double)run.getLong("rx_syscalls") / rxDatagrams : Double.NaN;
        }
        final String note = failure == null ? "" : "partial: " + failure;
        return new CellSummary(key, CellSummary.Status.OK, note, count,
            median(bytesPerSecond), median(lossPercent), median(txCalls), median(rxCalls));
    }

    private static void validRun(final BenchLine run)
    {
        run.getDouble("seconds");
        run.getLong("tx_datagrams");
        run.getLong("rx_datagrams");
        run.getLong("rx_bytes");
        run.getLong("lost");
        run.getLong("tx_syscalls");
        run.getLong("rx_syscalls");
    }

    private static String reasonOf(final BenchLine line)
    {
        final String reason = line.get("reason");
        return reason == null ? "" : reason;
    }

    /**
     * @return every cell, ordered by size, batch, mode, impl.
     */
    public Collection<CellSummary> cells()
    {
        return cells.values();
    }

    /**
     * @param key a cell.
     * @return its summary if it was part of the run.
     */
    public Optional<CellSummary> cell(final CellKey key)
    {
        return Optional.ofNullable(cells.get(key));
    }

    /**
     * @param key a cell.
     * @return its throughput in MiB/s if it was measured.
     */
    public Optional<Double> mibPerSecond(final CellKey key)
    {
        return cell(key).filter(CellSummary::measured).map(CellSummary::medianMibPerSecond);
    }

    /**
     * @return perf syscall counts by cell.
     */
    public Map<CellKey, PerfCount> perfCounts()
    {
        return perfCounts;
    }

    /**
     * Writes results.csv: one row per cell, numbers with '.' decimals, empty where not measured.
     *
     * @param path destination.
     * @throws IOException if it cannot be written.
     */
    public void writeCsv(final Path path) throws IOException
    {
        try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8))
        {
            out.write(CSV_HEADER);
            out.write('\n');
            for (final CellSummary cell : cells.values())
            {
                final CellKey key = cell.key();
                out.write(String.join(",",
                    key.impl(), key.mode(), Integer.toString(key.size()), Integer.toString(key.batch()),
                    cell.status().name(), Integer.toString(cell.runs()),
                    number("%.0f", cell.medianBytesPerSecond()), number("%.2f", cell.medianMibPerSecond()),
                    number("%.3f", cell.medianLossPercent()),
                    number("%.6f", cell.txSyscallsPerDatagram()), number("%.6f", cell.rxSyscallsPerDatagram()),
                    cell.reason().replace(',', ';')));
                out.write('\n');
            }
        }
    }

    private static String number(final String format, final double value)
    {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, format, value);
    }
}
