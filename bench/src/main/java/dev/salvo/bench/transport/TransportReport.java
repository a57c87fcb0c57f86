/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns the {@code RESULT}/{@code SKIP}/{@code FAIL} lines of a {@link TransportBench} run into a Markdown summary
 * with the bars of issue 4:
 * <ul>
 * <li>E1 native ≥ 4× the per-packet baseline, and ≥ 70% of the single-core seal rate, per datagram size;</li>
 * <li>E2 p99 with batching on ≤ 1.1× batching off, per idle strategy;</li>
 * <li>idle transport with 100 connections &lt; 1% of a core (whole process).</li>
 * </ul>
 * Throughput cells report the median of their runs.
 *
 * <pre>
 * java -cp bench/target/salvo-bench.jar dev.salvo.bench.transport.TransportReport RAW_FILE META_FILE OUT_MD
 * </pre>
 */
public final class TransportReport
{
    private final List<Map<String, String>> results = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    TransportReport(final List<String> raw)
    {
        for (final String line : raw)
        {
            if (line.startsWith("RESULT "))
            {
                results.add(fields(line.substring("RESULT ".length())));
            }
            else if (line.startsWith("SKIP ") || line.startsWith("FAIL "))
            {
                problems.add(line);
            }
        }
    }

    /**
     * @param args raw result file, meta file (key=value lines, may be absent), output Markdown file.
     */
    public static void main(final String[] args) throws IOException
    {
        if (3 != args.length)
        {
            System.err.println("usage: TransportReport RAW_FILE META_FILE OUT_MD");
            System.exit(64);
        }
        final List<String> raw = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        final Path meta = Path.of(args[1]);
        final List<String> metaLines = Files.exists(meta) ? Files.readAllLines(meta, StandardCharsets.UTF_8) : List.of();
        final String markdown = new TransportReport(raw).render(metaLines, raw);
        Files.writeString(Path.of(args[2]), markdown, StandardCharsets.UTF_8);
        System.out.print(markdown);
    }

    static Map<String, String> fields(final String text)
    {
        final Map<String, String> map = new LinkedHashMap<>();
        for (final String token : text.trim().split("\\s+"))
        {
            final int eq = token.indexOf('=');
            if (eq > 0)
            {
                map.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return map;
    }

    /** @return the median of {@code key} over results matching every {@code filter} pair, or NaN if none. */
    double median(final String key, final String... filter)
    {
        final List<Double> values = new ArrayList<>();
        for (final Map<String, String> result : results)
        {
            boolean matches = true;
            for (int i = 0; i < filter.length; i += 2)
            {
                matches &= filter[i + 1].equals(result.get(filter[i]));
            }
            if (matches && result.containsKey(key))
            {
                values.add(Double.parseDouble(result.get(key)));
            }
        }
        if (values.isEmpty())
        {
            return Double.NaN;
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        final int n = sorted.length;
        return 1 == n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private String any(final String key, final String... filter)
    {
        for (final Map<String, String> result : results)
        {
            boolean matches = true;
            for (int i = 0; i < filter.length; i += 2)
            {
                matches &= filter[i + 1].equals(result.get(filter[i]));
            }
            if (matches && result.containsKey(key))
            {
                return result.get(key);
            }
        }
        return "–";
    }

    String render(final List<String> meta, final List<String> raw)
    {
        final StringBuilder md = new StringBuilder();
        md.append("# Salvo transport benchmarks (E1, E2, idle)\n\n");
        for (final String line : meta)
        {
            final int eq = line.indexOf('=');
            if (eq > 0)
            {
                md.append("- **").append(line, 0, eq).append("**: ").append(line.substring(eq + 1)).append('\n');
            }
        }
        final List<String[]> bars = new ArrayList<>();
        renderE1(md, bars);
        renderE2(md, bars);
        renderIdle(md, bars);

        md.append("\n## Bars\n\n| bar | measured | verdict |\n|---|---|---|\n");
        for (final String[] bar : bars)
        {
            md.append("| ").append(bar[0]).append(" | ").append(bar[1]).append(" | ").append(bar[2]).append(" |\n");
        }
        if (!problems.isEmpty())
        {
            md.append("\n## Skipped or failed cells\n\n");
            for (final String problem : problems)
            {
                md.append("- `").append(problem).append("`\n");
            }
        }
        md.append("\n## Raw result lines\n\n```\n");
        for (final String line : raw)
        {
            md.append(line).append('\n');
        }
        md.append("```\n");
        return md.toString();
    }

    private void renderE1(final StringBuilder md, final List<String[]> bars)
    {
        final TreeSet<Integer> datagrams = new TreeSet<>();
        for (final Map<String, String> result : results)
        {
            if (result.containsKey("datagram"))
            {
                datagrams.add(Integer.parseInt(result.get("datagram")));
            }
        }
        if (datagrams.isEmpty())
        {
            return;
        }
        md.append("\n## E1: bulk throughput, one connection, loopback (MiB/s of payload delivered, median of runs)\n\n");
        md.append("| datagram B | seal rate 1 core (").append(any("aead", "bench", "seal")).append(") | per-packet baseline | " +
            "E1 NIO | E1 native | native / baseline | native / seal rate | message B | native datagrams/syscall |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final int datagram : datagrams)
        {
            final String d = Integer.toString(datagram);
            final double seal = median("mibps", "bench", "seal", "datagram", d);
            final double baseline = median("mibps", "bench", "baseline", "datagram", d);
            final double nio = median("mibps", "bench", "e1", "io", "nio", "datagram", d);
            final double nat = median("mibps", "bench", "e1", "io", "native", "datagram", d);
            md.append("| ").append(d).append(" | ").append(num(seal)).append(" | ").append(num(baseline)).append(" | ")
                .append(num(nio)).append(" | ").append(num(nat)).append(" | ").append(ratio(nat, baseline)).append(" | ")
                .append(percent(nat, seal)).append(" | ").append(any("message", "bench", "e1", "datagram", d))
                .append(" | ").append(num(median("datagrams_per_syscall", "bench", "e1", "io", "native", "datagram", d)))
                .append(" |\n");
            bars.add(new String[] { "E1 native ≥ 4× per-packet baseline (" + d + " B)", ratio(nat, baseline),
                verdict(nat / baseline, nat / baseline >= 4) });
            bars.add(new String[] { "E1 native ≥ 70% of 1-core seal rate (" + d + " B)", percent(nat, seal),
                verdict(nat / seal, nat / seal >= 0.7) });
        }
        md.append("\nSeal rate: `PacketSealer.sealBatch`, 64 packets per call, one thread, payload = datagram − header − tag. " +
            "Baseline: one `DatagramChannel.send` per sealed packet, one `receive` + `PacketOpener.open` per packet, " +
            "no reliability (what overruns the receiver is lost; only opened payload counts).\n");
    }

    private void renderE2(final StringBuilder md, final List<String[]> bars)
    {
        if (Double.isNaN(median("p99_us", "bench", "e2")))
        {
            return;
        }
        md.append("\n## E2: round-trip latency of 64-byte messages, loopback (µs)\n\n");
        md.append("| idle strategy | batching | app wait | p50 | p99 | p99.9 | max | round trips | timeouts |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (final String idle : Arrays.asList("park", "spin"))
        {
            for (final String batching : Arrays.asList("on", "off"))
            {
                final String[] f = { "bench", "e2", "idle", idle, "batching", batching };
                if (Double.isNaN(median("p99_us", f)))
                {
                    continue;
                }
                md.append("| ").append(idle).append(" | ").append(batching).append(" | ").append(any("wait", f))
                    .append(" | ").append(num(median("p50_us", f))).append(" | ").append(num(median("p99_us", f)))
                    .append(" | ").append(num(median("p999_us", f))).append(" | ").append(num(median("max_us", f)))
                    .append(" | ").append(any("count", f)).append(" | ").append(any("timeouts", f)).append(" |\n");
            }
            final double on = median("p99_us", "bench", "e2", "idle", idle, "batching", "on");
            final double off = median("p99_us", "bench", "e2", "idle", idle, "batching", "off");
            if (!Double.isNaN(on) && !Double.isNaN(off))
            {
                bars.add(new String[] { "E2 p99 batching on ≤ 1.1× off (" + idle + ")",
                    num(on) + " vs " + num(off) + " µs = " + ratio(on, off), verdict(on / off, on <= 1.1 * off) });
            }
        }
        md.append("\nBatching off = `sendBatchDatagrams(1)`, `receiveBatchSlots(1)`, `connectionBurst(1)` on both transports.\n");
    }

    private void renderIdle(final StringBuilder md, final List<String[]> bars)
    {
        final double percent = median("core_percent", "bench", "idle");
        if (Double.isNaN(percent))
        {
            return;
        }
        md.append("\n## Idle: one transport with ").append(any("connections", "bench", "idle"))
            .append(" open idle connections\n\n");
        md.append("| connections | peers | window s | process CPU ms | % of a core | server I/O thread % | datagrams received |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append("| ").append(any("connections", "bench", "idle")).append(" | ").append(any("peers", "bench", "idle"))
            .append(" | ").append(any("seconds", "bench", "idle")).append(" | ")
            .append(any("process_cpu_ms", "bench", "idle")).append(" | ").append(num(percent)).append(" | ")
            .append(any("io_thread_core_percent", "bench", "idle")).append(" | ")
            .append(any("datagrams_received", "bench", "idle")).append(" |\n");
        md.append("\nThe whole process: the measured transport and every peer transport, GC and JIT.\n");
        bars.add(new String[] { "idle, " + any("connections", "bench", "idle") + " connections, whole process < 1% of a core",
            num(percent) + "%", verdict(percent, percent < 1.0) });
    }

    private static String num(final double value)
    {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    private static String ratio(final double a, final double b)
    {
        return Double.isNaN(a) || Double.isNaN(b) || 0 == b ? "–" : String.format(Locale.ROOT, "%.2fx", a / b);
    }

    private static String percent(final double a, final double b)
    {
        return Double.isNaN(a) || Double.isNaN(b) || 0 == b ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * a / b);
    }

    private static String verdict(final double value, final boolean met)
    {
        return Double.isNaN(value) || Double.isInfinite(value) ? "no data" : met ? "met" : "**not met**";
    }
}
