package dev.salvo.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes results.md: the machine, the bar checks, and one table row per (size, batch, mode) with the
 * Java and C throughput and their ratio side by side.
 */
public final class MarkdownReport
{
    private static final String NONE = "—";

    private MarkdownReport()
    {
    }

    /**
     * @param results the aggregated run.
     * @param meta    machine and run description (date, jdk, kernel, cores, cpu, command, ...), in order.
     * @param checks  the bar checks.
     * @return the Markdown text.
     */
    public static String render(final BenchResults results, final Map<String, String> meta, final List<BarChecks.Check> checks)
    {
        final StringBuilder md = new StringBuilder(8192);
        md.append("# Salvo batch-size benchmark\n\n");
        meta.forEach((key, value) -> md.append("- **").append(key).append("**: ").append(escape(value)).append('\n'));
        md.append('\n');
        md.append("Throughput is payload bytes received per second at the receiver (MiB/s, median of the runs), ")
            .append("one sender thread and one receiver thread on loopback in one process. ")
            .append("`nio` is one syscall per datagram (run at batch 1 only); `mmsg` is sendmmsg/recvmmsg with *batch* ")
            .append("datagrams per call; `gso` packs *batch* datagrams per sendmmsg into UDP_SEGMENT entries of at most ")
            .append("64 segments and 65,507 bytes, received by a UDP_GRO socket (batch >= 2 only). ")
            .append("Loss is datagrams sent but never received (receive buffer full). ")
            .append("Syscalls per datagram are the drivers' own counts, send side / receive side.\n\n");

        md.append("## Bars\n\n");
        md.append("| Bar | Result | Figures |\n|---|---|---|\n");
        for (final BarChecks.Check check : checks)
        {
            md.append("| ").append(escape(check.bar())).append(" | **").append(check.verdict().name().replace('_', ' '))
                .append("** | ").append(escape(check.detail())).append(" |\n");
        }
        md.append('\n');

        md.append("## Throughput\n\n");
        md.append("| Size (B) | Batch | Mode | Java MiB/s | C MiB/s | Java/C | Loss % Java / C | Syscalls/datagram Java (tx / rx) | Syscalls/datagram C (tx / rx) |\n");
        md.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        final Set<CellKey> rows = new LinkedHashSet<>();
        for (final CellSummary cell : results.cells())
        {
            rows.add(cell.key().withImpl("java"));
        }
        for (final CellKey row : rows)
        {
            final Optional<CellSummary> java = results.cell(row);
            final Optional<CellSummary> c = results.cell(row.withImpl("c"));
            md.append("| ").append(row.size()).append(" | ").append(row.batch()).append(" | ").append(row.mode())
                .append(" | ").append(throughput(java))
                .append(" | ").append(throughput(c))
                .append(" | ").append(ratio(java, c))
                .append(" | ").append(loss(java)).append(" / ").append(loss(c))
                .append(" | ").append(syscalls(java))
                .append(" | ").append(syscalls(c))
                .append(" |\n");
        }
        md.append('\n');

        if (!results.perfCounts().isEmpty())
        {
            md.append("## Syscalls counted by perf\n\n");
            md.append("`perf stat` tracepoints over one run without warmup (JVM start-up included).\n\n");
            md.append("| Impl | Mode | Size (B) | Batch | Send calls | Datagrams sent | Send calls/datagram | Receive calls | Datagrams received | Receive calls/datagram |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (final PerfCount perf : results.perfCounts().values())
            {
                final CellKey key = perf.key();
                md.append("| ").append(key.impl()).append(" | ").append(key.mode()).append(" | ").append(key.size())
                    .append(" | ").append(key.batch())
                    .append(" | ").append(perf.sendCalls()).append(" | ").append(perf.txDatagrams())
                    .append(" | ").append(format("%.4f", perf.sendCallsPerDatagram()))
                    .append(" | ").append(perf.receiveCalls()).append(" | ").append(perf.rxDatagrams())
                    .append(" | ").append(format("%.4f", perf.receiveCallsPerDatagram()))
                    .append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /**
     * Renders and writes results.md.
     *
     * @param path    destination.
     * @param results the aggregated run.
     * @param meta    machine and run description.
     * @param checks  the bar checks.
     * @throws IOException if it cannot be written.
     */
    public static void write(
        final Path path, final BenchResults results, final Map<String, String> meta, final List<BarChecks.Check> checks)
        throws IOException
    {
        Files.writeString(path, render(results, meta, checks), StandardCharsets.UTF_8);
    }

    private static String throughput(final Optional<CellSummary> cell)
    {
        if (cell.isEmpty())
        {
            return NONE;
        }
        final CellSummary summary = cell.get();
        if (!summary.measured())
        {
            return summary.status().name() + (summary.reason().isEmpty() ? "" : " (" + escape(summary.reason()) + ")");
        }
        return format("%.1f", summary.medianMibPerSecond());
    }

    private static String ratio(final Optional<CellSummary> java, final Optional<CellSummary> c)
    {
        if (java.isEmpty() || c.isEmpty() || !java.get().measured() || !c.get().measured() ||
            c.get().medianBytesPerSecond() <= 0)
        {
            return NONE;
        }
        return format("%.2f", java.get().medianBytesPerSecond() / c.get().medianBytesPerSecond());
    }

    private static String loss(final Optional<CellSummary> cell)
    {
        return cell.filter(CellSummary::measured).map(c -> format("%.2f", c.medianLossPercent())).orElse(NONE);
    }

    private static String syscalls(final Optional<CellSummary> cell)
    {
        return cell.filter(CellSummary::measured)
            .map(c -> format("%.4f", c.txSyscallsPerDatagram()) + " / " + format("%.4f", c.rxSyscallsPerDatagram()))
            .orElse(NONE);
    }

    private static String format(final String pattern, final double value)
    {
        return Double.isNaN(value) ? NONE : String.format(Locale.ROOT, pattern, value);
    }

    private static String escape(final String text)
    {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
