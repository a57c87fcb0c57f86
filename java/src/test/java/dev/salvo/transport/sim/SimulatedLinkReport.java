/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Prints one table row per simulated scenario and controller (the figures for docs/BENCHMARKS.md):
 * scenario, controller, RTT, rate, bottleneck utilisation, goodput, retransmissions, Jain's index, longest
 * stall, and for random loss the ratio of the measured goodput to the controller's response function.
 * NewReno always; CUBIC and the background controller when this build has them.
 *
 * <p>Run: {@code scripts/run_simulated_link_report.sh [scenario-name filter]}. With
 * {@code -D}{@value #CSV_DIR_PROP_NAME}{@code =dir} each run's time series (per sample: link utilisation and
 * queue; per flow: goodput, cwnd, bytes in flight, smoothed RTT) is written to {@code dir} as CSV for plots.
 */
public final class SimulatedLinkReport
{
    /** System property: a directory to write each run's time series to, as CSV (unset: none). */
    public static final String CSV_DIR_PROP_NAME = "simlink.csv";

    private SimulatedLinkReport()
    {
    }

    /** A named scenario for one controller (and, for yielding, the background controller). */
    record Case(String name, Function<CongestionControlFactory, Scenario> scenario)
    {
    }

    static List<Case> cases(final CongestionControlFactory background)
    {
        final List<Case> cases = new ArrayList<>();
        for (final int rtt : new int[] {50, 100, 200})
        {
            cases.add(new Case("1 flow, queue 1 BDP", cc -> new Scenario().name("util").rttMs(rtt)
                .durationSeconds(20, 10).flow("a", cc, 0)));
        }
        cases.add(new Case("1 flow, queue 1/4 BDP", cc -> new Scenario().name("util-smallq").rttMs(200).queueBdp(0.25)
            .durationSeconds(30, 10).flow("a", cc, 0)));
        cases.add(new Case("1 flow, jumbo 8972 B", cc -> new Scenario().name("util-1g").rate(1_000_000_000L).rttMs(100)
            .maxDatagramSize(8972).durationSeconds(8, 4).flow("a", cc, 0)));
        cases.add(new Case("2 flows together", cc -> new Scenario().name("fair-2").rttMs(50)
            .durationSeconds(30, 10).flow("a", cc, 0).flow("b", cc, 0)));
        cases.add(new Case("2nd flow at 5 s", cc -> new Scenario().name("fair-late").rttMs(50)
            .durationSeconds(60, 30).flow("a", cc, 0).flow("b", cc, 5)));
        if (background != null)
        {
            cases.add(new Case("default + background", cc -> new Scenario().name("background").rttMs(50)
                .durationSeconds(30, 10).flow("default", cc, 0).flow("background", background, 0)));
        }
        for (final double loss : new double[] {0.01, 0.05})
        {
            cases.add(new Case("random loss " + loss, cc -> new Scenario().name("loss").rttMs(50).loss(loss)
                .durationSeconds(30, 10).flow("a", cc, 0)));
        }
        cases.add(new Case("jitter 0-10 ms", cc -> new Scenario().name("jitter").rttMs(50).jitterMs(10)
            .durationSeconds(20, 10).flow("a", cc, 0)));
        cases.add(new Case("1% reordered by 5 ms", cc -> new Scenario().name("reorder").rttMs(50).reorder(0.01, 5)
            .durationSeconds(20, 10).flow("a", cc, 0)));
        cases.add(new Case("1% reord. 5 ms, 10 ms", cc -> new Scenario().name("reorder").rttMs(10).reorder(0.01, 5)
            .durationSeconds(20, 10).flow("a", cc, 0)));
        cases.add(new Case("1% reord. + 1% loss", cc -> new Scenario().name("reorder-loss").rttMs(50).loss(0.01)
            .reorder(0.01, 5).durationSeconds(30, 10).flow("a", cc, 0)));
        return cases;
    }

    /** @return the goodput {@link LossModel} predicts for the scenario's loss rate, bit/s. */
    static double modelBps(final String controller, final ScenarioResult result)
    {
        final Scenario s = result.scenario();
        return LossModel.goodputBps(controller, s.maxDatagramSize(), s.rttNs(), s.lossRate(), s.rateBitsPerSecond());
    }

    /** @param args optional: a substring of the scenario names to run. */
    public static void main(final String[] args)
    {
        final String filter = args.length > 0 ? args[0] : "";
        final List<CongestionControlFactory> controllers = new ArrayList<>();
        controllers.add(CongestionControlFactory.NEW_RENO);
        final CongestionControlFactory cubic = CongestionControlFactory.byClassName("CubicCongestionControl");
        if (cubic != null)
        {
            controllers.add(cubic);
        }
        final CongestionControlFactory background = CongestionControlFactory.byClassName("BackgroundCongestionControl");
        System.out.printf(Locale.ROOT, "| %-12s | %-22s | %-8s | %6s | %9s | %6s | %6s | %7s | %6s | %8s | %9s | %7s |%n",
            "scenario", "case", "cc", "RTT ms", "rate Mb/s", "util %", "good %", "retx %", "Jain", "stall ms",
            "vs model", "wall s");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        final String csvDir = System.getProperty(CSV_DIR_PROP_NAME);
        int run = 0;
        for (final CongestionControlFactory controller : controllers)
        {
            for (final Case c : cases(background))
            {
                final Scenario scenario = c.scenario().apply(controller);
                if (!scenario.name().contains(filter))
                {
                    continue;
                }
                final long start = System.nanoTime();
                final ScenarioResult r = scenario.run();
                final double wall = (System.nanoTime() - start) / 1e9;
                run++;
                if (csvDir != null)
                {
                    writeCsv(Path.of(csvDir, String.format(Locale.ROOT, "%02d-%s-%dms-%s.csv",
                        run, scenario.name(), scenario.rttNs() / Simulation.MS, controller.name())), r);
                }
                final long stall = r.flows().stream().mapToLong(ScenarioResult.FlowSummary::maxStallNs).max().orElse(0);
                final String model = scenario.lossRate() > 0 ?
                    String.format(Locale.ROOT, "%.2f", r.flow(0).goodputBps() / modelBps(controller.name(), r)) : "";
                final String jain = r.flows().size() > 1 ? String.format(Locale.ROOT, "%.3f", r.jainIndex()) :
                    "";
                System.out.printf(Locale.ROOT,
                    "| %-12s | %-22s | %-8s | %6d | %9d | %6.1f | %6.1f | %7.3f | %6s | %8.0f | %9s | %7.1f |%n",
                    scenario.name(), c.name(), controller.name(), scenario.rttNs() / Simulation.MS,
                    scenario.rateBitsPerSecond() / 1_000_000, r.utilisation() * 100, r.goodputRatio() * 100,
                    r.retransmissionRatio() * 100, jain, stall / 1e6, model, wall);
                if (r.flows().size() > 1 || !r.drained())
                {
                    for (final ScenarioResult.FlowSummary f : r.flows())
                    {
                        System.out.printf(Locale.ROOT, "|   %s [%s]: %.1f Mbit/s, complete %s |%n",
                            f.name(), f.controller(), f.goodputBps() / 1e6, f.complete());
                    }
                }
            }
        }
    }

    /** Writes one run's sampled time series as CSV (one row per sample interval). */
    static void writeCsv(final Path file, final ScenarioResult result)
    {
        final LinkMetrics link = result.linkMetrics();
        final StringBuilder csv = new StringBuilder("time_s,link_utilisation,queue_bytes");
        for (final BulkFlow flow : result.bulkFlows())
        {
            final String n = flow.name();
            csv.append(',').append(n).append("_goodput_mbps,").append(n).append("_cwnd_bytes,")
                .append(n).append("_in_flight_bytes,").append(n).append("_srtt_ms");
        }
        csv.append('\n');
        final long rate = result.scenario().rateBitsPerSecond();
        for (int i = 1; i < link.count(); i++)
        {
            csv.append(String.format(Locale.ROOT, "%.3f,%.4f,%d",
                link.timeNs(i) / 1e9, link.utilisation(i - 1, i, rate), link.queuedBytes(i)));
            for (final BulkFlow flow : result.bulkFlows())
            {
                final FlowMetrics m = flow.metrics();
                csv.append(String.format(Locale.ROOT, ",%.3f,%d,%d,%.2f",
                    m.goodputBps(i - 1, i) / 1e6, m.cwnd(i), m.bytesInFlight(i), m.srttNs(i) / 1e6));
            }
            csv.append('\n');
        }
        try
        {
            Files.createDirectories(file.getParent());
            Files.writeString(file, csv);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
