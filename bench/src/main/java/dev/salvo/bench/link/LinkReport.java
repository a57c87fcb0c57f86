/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.link;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Report of {@code scripts/run_link_benchmarks.sh}: reads each scenario directory the script lists in
 * {@code scenarios.txt} ({@code scenario.properties} and the peers' logs), judges issue 5's bars, writes
 * {@code results.md} (machine header, one table row per scenario, details) and {@code <scenario>.png}
 * ({@link LinkChart}), and prints the table.
 *
 * <p>Usage: {@code LinkReport OUT_DIR}. Scenario kinds and their bars (steady state = the window after the first
 * seconds of the flows, given in the properties):
 * <ul>
 *   <li>{@code single}: one connection; link utilisation ≥ 90% and retransmitted packets &lt; 1%.</li>
 *   <li>{@code fair}: two connections (two sender transports, one JVM); Jain's index of their throughputs ≥ 0.95.</li>
 *   <li>{@code background}: a background connection alone, then a default one joins (another JVM); the default
 *       one's share of the link (utilisation × its fraction of the bytes received) ≥ 80%.</li>
 *   <li>{@code loss}: one connection, nft random loss each way; everything delivered exactly once, no stall
 *       (1 s without a data packet accepted) and link throughput within the expected range
 *       ({@link LinkSamples#lossModelRange}: from the Padhye et al. Reno-with-timeouts model up to CUBIC's
 *       response function, capped at the rate; the top end + 5%).</li>
 *   <li>{@code fair-ref}: a reference row, not judged ({@code REF} in the table): two flows as in {@code fair},
 *       Salvo or the kernel's TCP ({@link LinkTcpPeers}), through the queue in the properties; Jain's index,
 *       throughputs, mean srtt and cwnd per flow, and whether 0.95 would have been met.</li>
 * </ul>
 */
public final class LinkReport
{
    private LinkReport()
    {
    }

    /** One judged scenario. */
    record Row(String name, String rate, double throughputBps, double utilisation, double retransmitted, double jain,
        String bar, boolean pass, String notes, String chart, boolean reference)
    {
        Row(final String name, final String rate, final double throughputBps, final double utilisation,
            final double retransmitted, final double jain, final String bar, final boolean pass, final String notes,
            final String chart)
        {
            this(name, rate, throughputBps, utilisation, retransmitted, jain, bar, pass, notes, chart, false);
        }

        String result()
        {
            return reference ? "REF" : pass ? "PASS" : "FAIL";
        }
    }

    public static void main(final String[] args) throws IOException
    {
        final Path out = Path.of(args[0]);
        final List<Row> rows = new ArrayList<>();
        final StringBuilder details = new StringBuilder();
        for (final String name : Files.readAllLines(out.resolve("scenarios.txt")))
        {
            if (name.isBlank())
            {
                continue;
            }
            final Path dir = out.resolve(name.trim());
            try
            {
                rows.add(judge(dir, details));
            }
            catch (final RuntimeException | IOException ex)
            {
                rows.add(new Row(name.trim(), "?", 0, 0, 0, Double.NaN, "-", false, "no result: " + ex.getMessage()
                    .replace('\n', ' '), null));
            }
        }
        final StringBuilder md = new StringBuilder();
        md.append("# Salvo link benchmarks (issue 5)\n\n");
        final Path meta = out.resolve("meta.txt");
        if (Files.exists(meta))
        {
            for (final String line : Files.readAllLines(meta))
            {
                md.append("- ").append(line).append('\n');
            }
            md.append('\n');
        }
        final StringBuilder table = new StringBuilder();
        table.append("| Scenario | Link | Throughput (Mbit/s) | Utilisation % | Retransmitted % | Jain | Bar | Result | Notes |\n");
        table.append("|---|---|---:|---:|---:|---:|---|---|---|\n");
        for (final Row row : rows)
        {
            table.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.3f | %s | %s | **%s** | %s |%n",
                row.name, row.rate, row.throughputBps / 1e6, 100 * row.utilisation, 100 * row.retransmitted,
                Double.isNaN(row.jain) ? "–" : String.format(Locale.ROOT, "%.3f", row.jain), row.bar,
                row.result(), row.notes));
        }
        md.append(table).append('\n');
        md.append("Throughput = data-packet bytes accepted at the receiver (all flows) per second over the steady-state " +
            "window; utilisation = bytes through the sender's veth egress (after tbf, Ethernet headers included) / rate; " +
            "retransmitted = packets carrying retransmitted data / packets sent (sender's ConnectionStats).\n\n");
        md.append("## Details\n\n").append(details);
        for (final Row row : rows)
        {
            if (null != row.chart)
            {
                md.append("![").append(row.name).append("](").append(row.chart).append(")\n\n");
            }
        }
        Files.writeString(out.resolve("results.md"), md);
        System.out.print(table);
    }

    private static Row judge(final Path dir, final StringBuilder details) throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("scenario.properties")))
        {
            properties.load(reader);
        }
        final String name = dir.getFileName().toString();
        final String kind = properties.getProperty("kind");
        final String rate = properties.getProperty("rate");
        final double rateBps = Double.parseDouble(properties.getProperty("rateBps"));
        final long durationMs = Long.parseLong(properties.getProperty("durationMs"));
        final long skipMs = Long.parseLong(properties.getProperty("skipMs"));
        final List<String> senderLines = new ArrayList<>();
        final List<String> receiverLines = new ArrayList<>();
        final LinkSamples samples = new LinkSamples();
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, "*.log"))
        {
            for (final Path log : logs)
            {
                final List<String> lines = Files.readAllLines(log);
                samples.addLines(lines);
                (log.getFileName().toString().startsWith("receiver") ? receiverLines : senderLines).addAll(lines);
            }
        }
        final Row row;
        final long origin;
        final long from;
        final long to;
        final List<String> flowNames;
        switch (kind)
        {
            case "single", "loss" ->
            {
                origin = LinkSamples.sendingTime(senderLines, 0);
                from = origin + skipMs;
                to = origin + durationMs;
                flowNames = List.of("connection (default controller)");
                final double received = samples.receivedBps(0, from, to);
                final double utilisation = samples.linkBps(0, from, to) / rateBps;
                final double retransmitted = samples.retransmittedFraction(0, from, to);
                if ("single".equals(kind))
                {
                    row = new Row(name, rate, received, utilisation, retransmitted, Double.NaN,
                        "utilisation ≥ 90%, retransmitted < 1%", utilisation >= 0.90 && retransmitted < 0.01, "", name + ".png");
                }
                else
                {
                    final double p = Double.parseDouble(properties.getProperty("lossPercent")) / 100;
                    final double srtt = Math.max(1e-4, samples.meanSrttSeconds(0, from, to));
                    final double[] range = LinkSamples.lossModelRange(
                        p, samples.meanDatagramBytes(0, from, to) + 42, srtt, rateBps);
                    final double linkBps = samples.linkBps(0, from, to);
                    final long stallMs = samples.longestStallMs(0, origin, to);
                    final boolean delivered = delivered(senderLines, receiverLines, 0);
                    final boolean pass = delivered && stallMs <= 1_000 && linkBps >= range[0] && linkBps <= 1.05 * range[1];
                    row = new Row(name, rate, received, utilisation, retransmitted, Double.NaN,
                        "all delivered, no stall > 1 s, link within the expected range", pass, String.format(Locale.ROOT,
                        "loss %.0f%% each way; link %.1f Mbit/s, expected %.1f..%.1f Mbit/s (srtt %.2f ms); longest stall %d ms; %s",
                        100 * p, linkBps / 1e6, range[0] / 1e6, range[1] / 1e6, srtt * 1e3, stallMs,
                        delivered ? "all delivered" : "NOT all delivered"), name + ".png");
                }
                details.append("- ").append(name).append(": ").append(samples.describe(0, from, to, rateBps)).append('\n');
            }
            case "fair" ->
            {
                final long first = LinkSamples.sendingTime(senderLines, 0);
                final long second = LinkSamples.sendingTime(senderLines, 1);
                origin = Math.min(first, second);
                from = Math.max(first, second) + skipMs;
                to = origin + durationMs;
                flowNames = List.of("connection 1", "connection 2");
                final double a = samples.receivedBps(0, from, to);
                final double b = samples.receivedBps(1, from, to);
                final double jain = LinkSamples.jain(a, b);
                final double retransmitted = retransmitted(samples, from, to, 2);
                row = new Row(name, rate, a + b, samples.linkBps(0, from, to) / rateBps, retransmitted, jain, "Jain ≥ 0.95",
                    jain >= 0.95, String.format(Locale.ROOT, "%.1f / %.1f Mbit/s", a / 1e6, b / 1e6), name + ".png");
                details.append("- ").append(name).append(": ").append(samples.describe(0, from, to, rateBps)).append("; ")
                    .append(samples.describe(1, from, to, rateBps)).append('\n');
            }
            case "background" ->
            {
                origin = LinkSamples.sendingTime(senderLines, 0);
                final long join = LinkSamples.sendingTime(senderLines, 1);
                from = join + skipMs;
                to = join + durationMs;
                flowNames = List.of("background connection", "default connection");
                final double background = samples.receivedBps(0, from, to);
                final double foreground = samples.receivedBps(1, from, to);
                final double utilisation = samples.linkBps(1, from, to) / rateBps;
                final double share = utilisation * foreground / Math.max(1, background + foreground);
                final double alone = samples.linkBps(0, origin + 1_000, join) / rateBps;
                row = new Row(name, rate, background + foreground, utilisation, retransmitted(samples, from, to, 2),
                    Double.NaN, "default's share ≥ 80% (background alone ≥ 50%)", share >= 0.80 && alone >= 0.5,
                    String.format(Locale.ROOT, "default %.1f%% of the link, background %.1f / default %.1f Mbit/s;" +
                        " background alone %.1f%%", 100 * share, background / 1e6, foreground / 1e6, 100 * alone), name + ".png");
                details.append("- ").append(name).append(": background ").append(samples.describe(0, from, to, rateBps))
                    .append("; default ").append(samples.describe(1, from, to, rateBps)).append('\n');
            }
            case "fair-ref" ->
            {
                final long first = LinkSamples.sendingTime(senderLines, 0);
                final long second = LinkSamples.sendingTime(senderLines, 1);
                origin = Math.min(first, second);
                from = Math.max(first, second) + skipMs;
                to = origin + durationMs;
                final String peers = properties.getProperty("peers", "salvo");
                flowNames = List.of(peers + " 1", peers + " 2");
                final double a = samples.receivedBps(0, from, to);
                final double b = samples.receivedBps(1, from, to);
                final double jain = LinkSamples.jain(a, b);
                row = new Row(name, rate, a + b, samples.linkBps(0, from, to) / rateBps, retransmitted(samples, from, to, 2),
                    jain, "reference, not judged", jain >= 0.95, String.format(Locale.ROOT,
                    "%s, %s, %s queue: %.1f / %.1f Mbit/s, srtt %.1f / %.1f ms, cwnd %.0f / %.0f KB; Jain ≥ 0.95 %s",
                    peers, properties.getProperty("topology", "veth"), properties.getProperty("queue", "?"), a / 1e6, b / 1e6, 1e3 * samples.meanSrttSeconds(0, from, to),
                    1e3 * samples.meanSrttSeconds(1, from, to), samples.meanCwnd(0, from, to) / 1e3,
                    samples.meanCwnd(1, from, to) / 1e3, jain >= 0.95 ? "met" : "not met"), name + ".png", true);
                details.append("- ").append(name).append(": ").append(samples.describe(0, from, to, rateBps)).append("; ")
                    .append(samples.describe(1, from, to, rateBps)).append('\n');
            }
            default -> throw new IllegalArgumentException("unknown scenario kind " + kind);
        }
        LinkChart.write(samples, name + ": " + row.bar + " — " + row.result(),
            String.format(Locale.ROOT, "tbf %s (%s), %s; steady-state window shaded", rate,
                properties.getProperty("tbf", ""), properties.getProperty("description", kind)),
            origin, from, to, rateBps, flowNames, dir.getParent().resolve(name + ".png"));
        return row;
    }

    private static double retransmitted(final LinkSamples samples, final long from, final long to, final int flows)
    {
        double retransmitted = 0;
        long sent = 0;
        for (int f = 0; f < flows; f++)
        {
            final long packets = samples.packetsSent(f, from, to);
            retransmitted += samples.retransmittedFraction(f, from, to) * packets;
            sent += packets;
        }
        return 0 == sent ? 0 : retransmitted / sent;
    }

    private static boolean delivered(final List<String> senderLines, final List<String> receiverLines, final int flow)
    {
        String sent = null;
        String received = null;
        for (final String line : senderLines)
        {
            if (line.startsWith("FLOW flow=" + flow + " "))
            {
                sent = line;
            }
        }
        for (final String line : receiverLines)
        {
            if (line.startsWith("RXFLOW flow=" + flow + " "))
            {
                received = line;
            }
        }
        return null != sent && null != received && "true".equals(LinkSamples.field(sent, "allAcknowledged")) &&
            LinkSamples.longField(sent, "messages") == LinkSamples.longField(received, "distinct") &&
            0 == LinkSamples.longField(received, "duplicates");
    }
}
