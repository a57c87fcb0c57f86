/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.salvo.testing.ChildProcess;
import dev.salvo.testing.Namespace;
import dev.salvo.testing.NetnsLink;
import dev.salvo.testing.NetworkNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.salvo.testing.ChildProcess.longField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5: congestion control on a real bottleneck. Two namespaces joined by a veth; the sender side's egress is
 * shaped by {@code tc qdisc replace dev D root tbf rate R burst B latency 100ms} and both ends segment GSO trains
 * on transmit ({@link NetnsLink#segmentOnTransmit}), so tbf (and nft, for loss) act on single datagrams as a
 * wire would. Only the data direction is shaped; acknowledgements return unshaped.
 *
 * <p><b>Queue.</b> {@code latency 100ms} bounds tbf's queue at 100 ms of the rate (1.25 MB at 100 Mbit/s): the
 * veth's own RTT is well under a millisecond, so the bottleneck buffer is many BDPs deep (a loss-based flow keeps
 * the link busy across its window reductions) and deeper than LEDBAT++'s 60 ms target delay (a delay-based
 * background flow can see the queue a loss-based flow builds; with a buffer shallower than its target, LEDBAT has
 * no delay signal and competes on loss alone). {@code burst} is 64 KB at 100 Mbit/s (≥ one jiffy of the rate at
 * HZ ≥ 200 and dozens of datagrams; tbf splits larger GSO packets itself).
 *
 * <p><b>Measurements</b> ({@link LinkPeers}, {@link LinkSamples}): each flow is its own sender {@code Transport}
 * (own socket, I/O thread and identity) streaming 16 KiB messages; both sides sample every 100 ms. <i>Steady
 * state</i> skips the first seconds of a flow (slow start and its overshoot); over that window: link utilisation =
 * bytes through the sender's veth egress (after tbf; Ethernet headers included, as tbf counts them) / rate;
 * throughput at the receiver = data-packet bytes accepted ({@code ConnectionStats.bytesReceived}); goodput = message
 * bytes delivered (bursty: the sender interleaves fragments of all queued messages); retransmissions = {@code packetsRetransmitted / packetsSent}
 * of the sender's {@code ConnectionStats}.
 *
 * <p>The bars are issue 5's, written before CUBIC, LEDBAT++ and pacing landed. With the NewReno of issue 4, (b) is
 * borderline (Jain 0.92–0.96) and (c) fails (the "background" setting is unknown there: both flows take half); with
 * branch i5-cc (CUBIC default, LEDBAT++ background) all pass. Each test prints its figures either way; the peers'
 * transcripts (every sample) are kept under {@code target/link-samples/}.
 */
class LinkNamespaceTest
{
    static final int PORT = 7_413;
    static final String TBF_LATENCY = "100ms";
    /**
     * Queue bound of the fairness test: 20 ms (250 KB at 100 Mbit/s). Through the 100 ms queue two CUBIC flows
     * that left slow start at different windows kept their ratio for the whole run in some runs (Jain 0.857,
     * 0.919 against 0.991–0.997 in others): with windows of ~850 datagrams CUBIC's epoch lasts ~9 s and the
     * paced flows lose in the same rounds, so 16 s holds one or two epochs. A shorter queue gives several.
     * The background test needs the deep queue (deeper than LEDBAT++'s 60 ms target); this one does not.
     */
    static final String FAIRNESS_TBF_LATENCY = "20ms";
    static final long SENDER_TIMEOUT_MS = 100_000;
    static final long RECEIVER_LIMIT_SECONDS = 110;
    /** Congestion-control property of {@code TransportConfig} (branch i5-cc): cubic | newreno | background. */
    static final String CONGESTION_CONTROL_PROP_NAME = "salvo.transport.congestionControl";

    /** Bar (a): one connection uses at least this fraction of the link in steady state. */
    static final double UTILISATION_BAR = 0.90;
    /** Bar (a): ... with fewer retransmitted packets than this fraction. */
    static final double RETRANSMISSION_BAR = 0.01;
    /** Bar (b): Jain's index of two connections' goodput. */
    static final double JAIN_BAR = 0.95;
    /** Bar (c): the default connection's share of the link beside a background one. */
    static final double YIELD_BAR = 0.80;
    /** Bar (d): longest gap between two deliveries. */
    static final long STALL_BAR_MS = 1_000;

    /**
     * (a) One connection fills the link: ≥ 90% utilisation with < 1% of its packets retransmitted, over the
     * window from 2 s after its first send to its last send (10 s).
     *
     * <p>100 Mbit/s only. At 1 Gbit/s this 2-core machine is CPU-bound, not link-bound (the receiver falls behind:
     * 82–100% across runs with NewReno, the smoothed RTT inflated by the receiver's socket queue rather than
     * tbf's), so the figure would test the machine; {@code scripts/run_link_benchmarks.sh} measures 1 Gbit/s.
     */
    @Test
    void oneConnectionFillsTheLink() throws Exception
    {
        final String rate = "100mbit";
        final long rateBps = 100_000_000;
        final String burst = "64kb";
        final long durationMs = 12_000;
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final Shaped link = shaped(net, rate, burst);
            final Run run = run(net, link, 1, List.of(), "0:0:" + durationMs);
            final long start = run.sendingTime(0);
            final long from = start + 2_000;
            final long to = start + durationMs;
            final double utilisation = run.samples.linkBps(0, from, to) / rateBps;
            final double retransmitted = run.samples.retransmittedFraction(0, from, to);
            final String report = String.format(Locale.ROOT, "(a) %s: utilisation %.1f%%, retransmitted %.3f%%; %s",
                rate, 100 * utilisation, 100 * retransmitted, run.samples.describe(0, from, to, rateBps));
            System.out.println(report);
            run.assertAllDelivered(report);
            assertTrue(utilisation >= UTILISATION_BAR, report + run.context());
            assertTrue(utilisation <= 1.05, "more than the link rate? " + report + run.context());
            assertTrue(retransmitted < RETRANSMISSION_BAR, report + run.context());
        }
    }

    /**
     * (b) Two connections from two sender transports (two sockets, two I/O threads, one JVM, one namespace),
     * started together, share the link: Jain's index of their throughputs at the receiver (data-packet bytes
     * accepted) ≥ 0.95 from 4 s after both started to 20 s.
     */
    @Test
    void twoConnectionsShareTheLinkFairly() throws Exception
    {
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final long rateBps = 100_000_000;
            final long durationMs = 20_000;
            final Shaped link = shaped(net, "100mbit", "64kb", FAIRNESS_TBF_LATENCY);
            final Run run = run(net, link, 2, List.of(), "0:0:" + durationMs + ",1:0:" + durationMs);
            final long start = Math.max(run.sendingTime(0), run.sendingTime(1));
            final long from = start + 4_000;
            final long to = Math.min(run.sendingTime(0), run.sendingTime(1)) + durationMs;
            final double first = run.samples.receivedBps(0, from, to);
            final double second = run.samples.receivedBps(1, from, to);
            final double jain = LinkSamples.jain(first, second);
            final double utilisation = run.samples.linkBps(0, from, to) / rateBps;
            final String report = String.format(Locale.ROOT, "(b) 100mbit, 2 connections: Jain %.3f, link %.1f%%;%n  %s%n  %s",
                jain, 100 * utilisation, run.samples.describe(0, from, to, rateBps), run.samples.describe(1, from, to, rateBps));
            System.out.println(report);
            run.assertAllDelivered(report);
            assertTrue(first > 0 && second > 0, report + run.context());
            assertTrue(jain >= JAIN_BAR, report + run.context());
        }
    }

    /**
     * (c) A background connection ({@code -Dsalvo.transport.congestionControl=background} in its own sender JVM)
     * streams alone; then a default connection (another JVM, default controller) joins. From 3 s after the join to
     * the default connection's end (15 s), the default connection's share of the link (link utilisation × its
     * fraction of the data-packet bytes the receiver accepted) must be ≥ 80%. Before the join the background connection must use the link
     * (≥ 50% alone), so a controller that never sends cannot pass.
     */
    @Test
    void backgroundConnectionYieldsToADefaultOne() throws Exception
    {
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final long rateBps = 100_000_000;
            final long defaultDurationMs = 15_000;
            final Shaped link = shaped(net, "100mbit", "64kb");
            final ChildProcess receiver = startReceiver(net, link, 2);
            final ChildProcess background = net.startJvm(link.senderNs, LinkPeers.Sender.class,
                List.of("-D" + CONGESTION_CONTROL_PROP_NAME + "=background"),
                link.link.addressB(), Integer.toString(PORT), "0:0:60000");
            background.awaitLine("SENDING", NetworkNamespaces.CHILD_START_TIMEOUT_MS);
            final ChildProcess foreground = net.startJvm(link.senderNs, LinkPeers.Sender.class, List.of(),
                link.link.addressB(), Integer.toString(PORT), "1:3000:" + defaultDurationMs);
            final int foregroundExit = foreground.awaitExit(SENDER_TIMEOUT_MS);
            final List<String> backgroundLines = background.lines();
            background.kill();
            final String context = "\n" + foreground.transcript() + "\n" + tail(background.transcript()) + "\n" +
                tail(receiver.transcript());
            assertEquals(0, foregroundExit, "default sender" + context);

            dump("background", receiver, background, foreground);
            final LinkSamples samples = new LinkSamples();
            samples.addLines(receiver.lines());
            samples.addLines(backgroundLines);
            samples.addLines(foreground.lines());
            final long backgroundStart = LinkSamples.sendingTime(backgroundLines, 0);
            final long join = LinkSamples.sendingTime(foreground.lines(), 1);
            final long from = join + 3_000;
            final long to = join + defaultDurationMs;
            final double alone = samples.linkBps(0, backgroundStart + 1_000, join) / rateBps;
            final double utilisation = samples.linkBps(1, from, to) / rateBps;
            final double defaultReceived = samples.receivedBps(1, from, to);
            final double backgroundReceived = samples.receivedBps(0, from, to);
            final double share = utilisation * defaultReceived / Math.max(1, defaultReceived + backgroundReceived);
            final String report = String.format(Locale.ROOT,
                "(c) 100mbit, background + default: default share %.1f%% of the link (link %.1f%%), background alone %.1f%%;" +
                "%n  background %s%n  default    %s", 100 * share, 100 * utilisation, 100 * alone,
                samples.describe(0, from, to, rateBps), samples.describe(1, from, to, rateBps));
            System.out.println(report);
            assertTrue(alone >= 0.5, "the background connection alone must use the link: " + report + context);
            assertTrue(share >= YIELD_BAR, report + context);
        }
    }

    /**
     * (d) Random loss via nft on the shaped link (each way, per datagram): everything is delivered exactly once, the
     * receiver never goes more than 1 s without accepting a data packet while the sender sends (a stall; seen to
     * the 100 ms sampling period), and throughput is within CUBIC's expected range.
     *
     * <p>Model ({@link LinkSamples#lossModelRange}): the expected range runs from the Padhye et al. model of a
     * Reno flow with timeouts (T0 = the probe timeout, dominated by the 25 ms ACK delay on this sub-millisecond path)
     * up to 1.5× CUBIC's response function without timeouts (RFC 9438 §5: 2.92/√p segments per RTT; capped at the link
     * rate). Bounds: measured link throughput ≥ the low end and ≤ 105% of the high end. Measured with NewReno and
     * with i5-cc's CUBIC, 1%: 77–82 Mbit/s in [≈40, 100]; 5%: 30–34 Mbit/s in [≈10, 100].
     */
    @ParameterizedTest(name = "{0}% loss each way")
    @CsvSource({ "1", "5" })
    void randomLossNoStallEverythingDelivered(final int lossPercent) throws Exception
    {
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final long rateBps = 100_000_000;
            final long durationMs = 10_000;
            final Shaped link = shaped(net, "100mbit", "64kb");
            link.link.randomLoss(lossPercent, lossPercent);
            final Run run = run(net, link, 1, List.of(), "0:0:" + durationMs);
            final long start = run.sendingTime(0);
            final long from = start + 2_000;
            final long to = start + durationMs;
            final double p = lossPercent / 100.0;
            final double srtt = Math.max(1e-4, run.samples.meanSrttSeconds(0, from, to));
            final double datagramOnWire = run.samples.meanDatagramBytes(0, from, to) + 42; // + Ethernet, IPv4, UDP
            final double[] range = LinkSamples.lossModelRange(p, datagramOnWire, srtt, rateBps);
            final double linkBps = run.samples.linkBps(0, from, to);
            final long messageGapMs = longField(run.receiverFlow(0), "maxGapMs");
            final long stallMs = run.samples.longestStallMs(0, start, to);
            final String report = String.format(Locale.ROOT,
                "(d) 100mbit, %d%% loss: link %.1f Mbit/s, expected %.1f..%.1f Mbit/s (srtt %.2f ms), longest stall %d ms" +
                " (between message deliveries %d ms); %s", lossPercent, linkBps / 1e6, range[0] / 1e6, range[1] / 1e6,
                srtt * 1e3, stallMs, messageGapMs, run.samples.describe(0, from, to, rateBps));
            System.out.println(report);
            run.assertAllDelivered(report);
            assertTrue(stallMs <= STALL_BAR_MS, "stall: " + report + run.context());
            assertTrue(linkBps >= range[0], "below the expected range: " + report + run.context());
            assertTrue(linkBps <= 1.05 * range[1], "above the expected range: " + report + run.context());
            assertTrue(run.samples.retransmittedFraction(0, from, to) > 0, "loss must cause retransmissions: " + report);
        }
    }

    /** The two namespaces, the link, tbf on the sender's egress, GSO trains split on transmit. */
    record Shaped(Namespace senderNs, Namespace receiverNs, NetnsLink link)
    {
    }

    static Shaped shaped(final NetworkNamespaces net, final String rate, final String burst) throws Exception
    {
        return shaped(net, rate, burst, TBF_LATENCY);
    }

    static Shaped shaped(final NetworkNamespaces net, final String rate, final String burst, final String latency)
        throws Exception
    {
        final Namespace senderNs = net.namespace();
        final Namespace receiverNs = net.namespace();
        final NetnsLink link = net.link(senderNs, receiverNs);
        link.segmentOnTransmit();
        link.tbf(senderNs, rate, burst, latency);
        return new Shaped(senderNs, receiverNs, link);
    }

    static ChildProcess startReceiver(final NetworkNamespaces net, final Shaped link, final int flows) throws Exception
    {
        final ChildProcess receiver = net.startJvm(link.receiverNs, LinkPeers.Receiver.class, List.of(),
            link.link.addressB(), Integer.toString(PORT), Integer.toString(flows), Long.toString(RECEIVER_LIMIT_SECONDS));
        receiver.awaitLine("READY", NetworkNamespaces.CHILD_START_TIMEOUT_MS);
        return receiver;
    }

    /** Runs one sender JVM with the plan to its end, and the receiver until every flow closed. */
    static Run run(
        final NetworkNamespaces net, final Shaped link, final int flows, final List<String> jvmArgs, final String plan)
        throws Exception
    {
        final ChildProcess receiver = startReceiver(net, link, flows);
        final ChildProcess sender = net.startJvm(link.senderNs, LinkPeers.Sender.class, jvmArgs,
            link.link.addressB(), Integer.toString(PORT), plan);
        final int senderExit = sender.awaitExit(SENDER_TIMEOUT_MS);
        final int receiverExit = receiver.awaitExit(30_000);
        final Run run = new Run(sender, receiver, flows);
        dump(plan, sender, receiver);
        assertEquals(0, senderExit, "sender" + run.context());
        assertEquals(0, receiverExit, "receiver" + run.context());
        return run;
    }

    /** Keeps both transcripts (every sample) under target/link-samples/ for inspection. */
    static void dump(final String name, final ChildProcess... children) throws java.io.IOException
    {
        final java.nio.file.Path directory = java.nio.file.Path.of("target", "link-samples");
        java.nio.file.Files.createDirectories(directory);
        final StringBuilder text = new StringBuilder();
        for (final ChildProcess child : children)
        {
            text.append(child.transcript()).append('\n');
        }
        java.nio.file.Files.writeString(directory.resolve(name.replace(':', '_').replace(',', '+') + "-" +
            System.currentTimeMillis() + ".log"), text);
    }

    static String tail(final String transcript)
    {
        final String[] lines = transcript.split("\n");
        final List<String> kept = new ArrayList<>();
        for (final String line : lines)
        {
            if (!line.startsWith("TX ") && !line.startsWith("RX "))
            {
                kept.add(line);
            }
        }
        return String.join("\n", kept);
    }

    /** A finished run: both transcripts and their samples. */
    static final class Run
    {
        final ChildProcess sender;
        final ChildProcess receiver;
        final int flows;
        final LinkSamples samples = new LinkSamples();

        Run(final ChildProcess sender, final ChildProcess receiver, final int flows)
        {
            this.sender = sender;
            this.receiver = receiver;
            this.flows = flows;
            samples.addLines(sender.lines());
            samples.addLines(receiver.lines());
        }

        long sendingTime(final int flow)
        {
            return LinkSamples.sendingTime(sender.lines(), flow);
        }

        String receiverFlow(final int flow)
        {
            for (final String line : receiver.lines())
            {
                if (line.startsWith("RXFLOW flow=" + flow + " "))
                {
                    return line;
                }
            }
            throw new AssertionError("no RXFLOW for flow " + flow + context());
        }

        String senderFlow(final int flow)
        {
            for (final String line : sender.lines())
            {
                if (line.startsWith("FLOW flow=" + flow + " "))
                {
                    return line;
                }
            }
            throw new AssertionError("no FLOW for flow " + flow + context());
        }

        /** Every message each flow sent was acknowledged and delivered exactly once. */
        void assertAllDelivered(final String report)
        {
            for (int f = 0; f < flows; f++)
            {
                final String sent = senderFlow(f);
                final String received = receiverFlow(f);
                assertEquals("true", ChildProcess.field(sent, "allAcknowledged"), report + context());
                assertEquals(longField(sent, "messages"), longField(received, "distinct"), report + context());
                assertEquals(0, longField(received, "duplicates"), report + context());
                assertEquals(longField(sent, "bytes"), longField(received, "bytes"), report + context());
            }
        }

        String context()
        {
            return "\n" + tail(sender.transcript()) + "\n" + tail(receiver.transcript());
        }
    }
}
