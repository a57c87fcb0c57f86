/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

/**
 * Steady-state throughput of loss-based controllers under random loss rate p (one loss event per lost
 * packet, windows in segments of MSS bytes, base RTT R), capped by the link:
 * <ul>
 * <li>NewReno (Mathis, Semke, Mahdavi, Ott 1997): W = √(3/(2p)) segments, rate = W·MSS/R;</li>
 * <li>CUBIC (RFC 9438 §5.1): the larger of the cubic average window
 *     W = (C·(3+β)/(4·(1−β)))^(1/4) · (R^3/p^3)^(1/4) (R in seconds, C = 0.4, β = 0.7) and the
 *     Reno-friendly window of AIMD(α, β), √(α(1+β)/(2(1−β)p)) with α = 3(1−β)/(1+β) (which equals Reno's
 *     √(3/(2p))).</li>
 * </ul>
 * Random (Bernoulli) loss is not the periodic loss the formulas assume; tests use generous bounds around
 * them.
 */
public final class LossModel
{
    private LossModel()
    {
    }

    /** @return the window in segments that NewReno averages at loss rate {@code p} (Mathis). */
    public static double renoWindowSegments(final double p)
    {
        return Math.sqrt(3.0 / (2.0 * p));
    }

    /** @return the window in segments that CUBIC averages at loss rate {@code p}, RTT {@code rttSeconds}. */
    public static double cubicWindowSegments(final double p, final double rttSeconds)
    {
        final double c = 0.4;
        final double beta = 0.7;
        final double cubic = Math.pow(c * (3 + beta) / (4 * (1 - beta)), 0.25) * Math.pow(Math.pow(rttSeconds, 3) / Math.pow(p, 3), 0.25);
        final double alpha = 3 * (1 - beta) / (1 + beta);
        final double friendly = Math.sqrt(alpha * (1 + beta) / (2 * (1 - beta) * p));
        return Math.max(cubic, friendly);
    }

    /** @return the modelled goodput, bit/s, for {@code controller} ("NewReno" or "Cubic"), capped by the link. */
    public static double goodputBps(
        final String controller, final int mss, final long rttNs, final double p, final long rateBitsPerSecond)
    {
        final double rtt = rttNs / 1e9;
        final double window = controller.startsWith("Cubic") ? cubicWindowSegments(p, rtt) : renoWindowSegments(p);
        return Math.min(rateBitsPerSecond, window * mss * 8 / rtt);
    }
}
