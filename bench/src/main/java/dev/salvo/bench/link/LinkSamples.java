/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;


/**
 * The sample lines of one {@link LinkPeers} run (receiver {@code RX}, sender {@code TX}) and the figures taken from
 * them over a time window (wall-clock ms): goodput per flow (message bytes delivered at the receiver), link
 * utilisation (bytes through the sender's veth egress, i.e. the tbf bottleneck), retransmissions (packets that
 * carried retransmitted data / packets sent, from {@code ConnectionStats}), mean smoothed RTT, Jain's index.
 */
public final class LinkSamples
{
    private final List<long[]> rx = new ArrayList<>(); // t, flow, bytes, packetBytes
    private final List<long[]> tx = new ArrayList<>(); // t, flow, packetsSent, retransmitted, lost, cwnd, srttUs, bytesSent, link

    void addLines(final List<String> lines)
    {
        for (final String line : lines)
        {
            if (line.startsWith("RX "))
            {
                rx.add(new long[] {
                    longField(line, "t"), longField(line, "flow"), longField(line, "bytes"), longField(line, "packetBytes") });
            }
            else if (line.startsWith("TX "))
            {
                tx.add(new long[] {
                    longField(line, "t"), longField(line, "flow"), longField(line, "packetsSent"),
                    longField(line, "packetsRetransmitted"), longField(line, "packetsLost"), longField(line, "cwnd"),
                    longField(line, "srttUs"), longField(line, "bytesSent"), longField(line, "linkTxBytes") });
            }
        }
    }

    /** @return the wall-clock ms of the {@code SENDING flow=F} line among the lines. */
    static long sendingTime(final List<String> lines, final int flow)
    {
        for (final String line : lines)
        {
            if (line.startsWith("SENDING ") && flow == longField(line, "flow"))
            {
                return longField(line, "t");
            }
        }
        throw new AssertionError("flow " + flow + " never started sending:\n" + String.join("\n", lines));
    }

    /** @return goodput of a flow in bits/s over [from, to]: message bytes delivered at the receiver. */
    double goodputBps(final int flow, final long fromMs, final long toMs)
    {
        final long[] first = first(rx, flow, fromMs, toMs);
        final long[] last = last(rx, flow, fromMs, toMs);
        if (null == first || null == last || last[0] <= first[0])
        {
            return 0;
        }
        return (last[2] - first[2]) * 8.0 * 1000 / (last[0] - first[0]);
    }

    /**
     * @return a flow's throughput at the receiver in bits/s over [from, to]: bytes of data packets accepted
     * ({@code ConnectionStats.bytesReceived}; smooth, unlike message deliveries, which come in bursts because the
     * sender interleaves the fragments of every queued message).
     */
    double receivedBps(final int flow, final long fromMs, final long toMs)
    {
        final long[] first = first(rx, flow, fromMs, toMs);
        final long[] last = last(rx, flow, fromMs, toMs);
        if (null == first || null == last || last[0] <= first[0])
        {
            return 0;
        }
        return (last[3] - first[3]) * 8.0 * 1000 / (last[0] - first[0]);
    }

    /**
     * @return the longest time in ms over [from, to] during which a flow's receiver accepted no data packet, to the
     * sampling period (100 ms): the span between the samples around the longest run without progress.
     */
    long longestStallMs(final int flow, final long fromMs, final long toMs)
    {
        long longest = 0;
        long lastProgressT = -1;
        long lastBytes = -1;
        for (final long[] sample : rx)
        {
            if (sample[1] != flow || sample[0] < fromMs || sample[0] > toMs)
            {
                continue;
            }
            if (lastBytes < 0 || sample[3] > lastBytes)
            {
                if (lastProgressT >= 0)
                {
                    longest = Math.max(longest, sample[0] - lastProgressT);
                }
                lastProgressT = sample[0];
                lastBytes = sample[3];
            }
        }
        return longest;
    }

    /** @return bits/s through the sender's veth egress over [from, to] (any flow's TX lines carry it). */
    double linkBps(final int flow, final long fromMs, final long toMs)
    {
        final long[] first = first(tx, flow, fromMs, toMs);
        final long[] last = last(tx, flow, fromMs, toMs);
        if (null == first || null == last || last[0] <= first[0] || first[8] < 0)
        {
            return 0;
        }
        return (last[8] - first[8]) * 8.0 * 1000 / (last[0] - first[0]);
    }

    /** @return packets that carried retransmitted data / packets sent by a flow over [from, to]. */
    double retransmittedFraction(final int flow, final long fromMs, final long toMs)
    {
        final long[] first = first(tx, flow, fromMs, toMs);
        final long[] last = last(tx, flow, fromMs, toMs);
        if (null == first || null == last || last[2] == first[2])
        {
            return 0;
        }
        return (double)(last[3] - first[3]) / (last[2] - first[2]);
    }

    /** @return packets sent by a flow over [from, to]. */
    long packetsSent(final int flow, final long fromMs, final long toMs)
    {
        final long[] first = first(tx, flow, fromMs, toMs);
        final long[] last = last(tx, flow, fromMs, toMs);
        return null == first || null == last ? 0 : last[2] - first[2];
    }

    /** @return mean datagram size (Salvo header, frames and AEAD tag) a flow sent over [from, to]. */
    double meanDatagramBytes(final int flow, final long fromMs, final long toMs)
    {
        final long[] first = first(tx, flow, fromMs, toMs);
        final long[] last = last(tx, flow, fromMs, toMs);
        if (null == first || null == last || last[2] == first[2])
        {
            return 0;
        }
        return (double)(last[7] - first[7]) / (last[2] - first[2]);
    }

    /** @return mean of a flow's smoothed-RTT samples over [from, to], seconds. */
    double meanSrttSeconds(final int flow, final long fromMs, final long toMs)
    {
        return mean(flow, fromMs, toMs, 6) / 1e6;
    }

    /** @return mean of a flow's congestion-window samples over [from, to], bytes. */
    double meanCwnd(final int flow, final long fromMs, final long toMs)
    {
        return mean(flow, fromMs, toMs, 5);
    }

    private double mean(final int flow, final long fromMs, final long toMs, final int column)
    {
        double sum = 0;
        int count = 0;
        for (final long[] sample : tx)
        {
            if (sample[1] == flow && sample[0] >= fromMs && sample[0] <= toMs)
            {
                sum += sample[column];
                count++;
            }
        }
        return 0 == count ? 0 : sum / count;
    }

    /** Factor above CUBIC's response function still in the expected range (see {@link #lossModelRange}). */
    static final double MODEL_HEADROOM = 1.5;

    /** Packets acknowledged per ACK in the loss model (the receiver acknowledges every second ack-eliciting packet). */
    static final double PACKETS_PER_ACK = 2;
    /** The peer's maximum ACK delay, part of the probe timeout (ConnectionSettings.MAX_ACK_DELAY_NS). */
    static final double MAX_ACK_DELAY_SECONDS = 0.025;

    /**
     * The range of link throughput a CUBIC flow is expected to reach under random loss (bits/s; {low, high}).
     *
     * <p>High: CUBIC's response function without timeouts (RFC 9438 §5): the average window is the larger of its
     * Reno-friendly estimate √(3(1+β)/(2(1−β)p)) = 2.92/√p segments (β = 0.7; 29 at 1%, 13 at 5%) and its
     * cubic-region estimate (negligible at millisecond RTTs), so min(rate, {@link #MODEL_HEADROOM}·W·S/RTT). The
     * headroom is there because the model counts every lost datagram as a loss event, while CUBIC reduces once per
     * round trip however many datagrams of it were lost, and paced CUBIC keeps its window near W_max between
     * events (measured: mean cwnd 35 segments at 1% loss against the model's 29).
     *
     * <p>Low: the Padhye et al. (PFTK, SIGCOMM 1998) model of a Reno flow with timeouts, S / (RTT·√(2bp/3) +
     * T0·min(1, 3√(3bp/8))·p·(1 + 32p²)), with b = 2 packets per ACK and T0 = RFC 9002's probe timeout
     * srtt + 4·rttvar + max_ack_delay taken as 3·srtt + 25 ms (rttvar ≈ srtt/2): on a sub-millisecond path every
     * tail loss costs a probe timeout dominated by the ACK delay, which CUBIC's window cannot hide.
     *
     * @param p                  loss probability per datagram.
     * @param datagramOnWire     bytes per datagram as tbf counts them (UDP payload + UDP, IPv4, Ethernet headers).
     * @param srttSeconds        the flow's mean smoothed RTT.
     * @param rateBps            the link rate.
     * @return {low, high}.
     */
    static double[] lossModelRange(final double p, final double datagramOnWire, final double srttSeconds, final double rateBps)
    {
        final double window = Math.sqrt(3 * (1 + 0.7) / (2 * (1 - 0.7) * p));
        final double high = Math.min(rateBps, MODEL_HEADROOM * window * datagramOnWire * 8 / srttSeconds);
        final double b = PACKETS_PER_ACK;
        final double timeout = 3 * srttSeconds + MAX_ACK_DELAY_SECONDS;
        final double perSegment = srttSeconds * Math.sqrt(2 * b * p / 3) +
            timeout * Math.min(1, 3 * Math.sqrt(3 * b * p / 8)) * p * (1 + 32 * p * p);
        final double low = Math.min(high, datagramOnWire * 8 / perSegment);
        return new double[] { low, high };
    }

    /** @return Jain's fairness index (Σx)² / (n Σx²) of the values; 1 = equal shares. */
    static double jain(final double... values)
    {
        double sum = 0;
        double squares = 0;
        for (final double value : values)
        {
            sum += value;
            squares += value * value;
        }
        return 0 == squares ? 0 : sum * sum / (values.length * squares);
    }

    /** @return a one-line description of a flow over the window, for reports. */
    String describe(final int flow, final long fromMs, final long toMs, final double rateBps)
    {
        return String.format(Locale.ROOT,
            "flow %d [%d ms]: received %.1f Mbit/s, goodput %.1f Mbit/s (%.1f%% of %.0f Mbit/s), link %.1f Mbit/s, retransmitted %.3f%% of %d packets," +
            " mean srtt %.1f ms, mean cwnd %.0f B, datagram %.0f B",
            flow, toMs - fromMs, receivedBps(flow, fromMs, toMs) / 1e6, goodputBps(flow, fromMs, toMs) / 1e6, 100 * goodputBps(flow, fromMs, toMs) / rateBps,
            rateBps / 1e6, linkBps(flow, fromMs, toMs) / 1e6, 100 * retransmittedFraction(flow, fromMs, toMs),
            packetsSent(flow, fromMs, toMs), meanSrttSeconds(flow, fromMs, toMs) * 1e3, meanCwnd(flow, fromMs, toMs),
            meanDatagramBytes(flow, fromMs, toMs));
    }

    private static long[] first(final List<long[]> samples, final int flow, final long fromMs, final long toMs)
    {
        for (final long[] sample : samples)
        {
            if (sample[1] == flow && sample[0] >= fromMs && sample[0] <= toMs)
            {
                return sample;
            }
        }
        return null;
    }

    private static long[] last(final List<long[]> samples, final int flow, final long fromMs, final long toMs)
    {
        long[] found = null;
        for (final long[] sample : samples)
        {
            if (sample[1] == flow && sample[0] >= fromMs && sample[0] <= toMs)
            {
                found = sample;
            }
        }
        return found;
    }

    /** @return receiver samples: t, flow, message bytes delivered, data-packet bytes accepted. */
    public List<long[]> rxSamples()
    {
        return rx;
    }

    /** @return sender samples: t, flow, packetsSent, retransmitted, lost, cwnd, srttUs, bytesSent, linkTxBytes. */
    public List<long[]> txSamples()
    {
        return tx;
    }

    /** @return the value after {@code key=} up to the next space. */
    static String field(final String line, final String key)
    {
        final String marker = key + "=";
        for (final String token : line.split(" "))
        {
            if (token.startsWith(marker))
            {
                return token.substring(marker.length());
            }
        }
        throw new IllegalArgumentException("no " + key + "= in: " + line);
    }

    static long longField(final String line, final String key)
    {
        return Long.parseLong(field(line, key));
    }

    /** @return the value of {@code key=} in the first line starting with the prefix. */
    static String lineField(final List<String> lines, final String prefix, final String key)
    {
        for (final String line : lines)
        {
            if (line.startsWith(prefix))
            {
                return field(line, key);
            }
        }
        throw new AssertionError("no line starting with " + prefix + ":\n" + String.join("\n", lines));
    }
}
