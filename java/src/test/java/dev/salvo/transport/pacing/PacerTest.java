/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.pacing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pacer and its token bucket on a virtual clock: rate, burst, gains, idle credit, release times and
 * the shared transport limit.
 */
class PacerTest
{
    private static final int DATAGRAM = 1200;
    private static final long CWND = 120_000;
    private static final long SRTT_NS = 10_000_000;
    private static final long MS = 1_000_000;
    private static final long STEP_NS = 10_000;

    private long nowNs = 1_000_000_000L;

    /** Sends 1200-byte packets whenever allowed, checking every {@link #STEP_NS}, for {@code durationNs}. */
    private long drive(final Pacer pacer, final long durationNs, final boolean slowStart)
    {
        long bytes = 0;
        final long end = nowNs + durationNs;
        for (; nowNs < end; nowNs += STEP_NS)
        {
            while (pacer.canSend(nowNs, CWND, SRTT_NS, true, slowStart, DATAGRAM))
            {
                pacer.onPacketSent(DATAGRAM);
                bytes += DATAGRAM;
            }
        }
        return bytes;
    }

    @Test
    void rateIsGainTimesWindowOverRtt()
    {
        assertEquals(1.2 * CWND / 0.010, Pacer.rateBytesPerSecond(CWND, SRTT_NS, false), 1e-6);
        assertEquals(2.0 * CWND / 0.010, Pacer.rateBytesPerSecond(CWND, SRTT_NS, true), 1e-6);
    }

    @Test
    void depthIsTwoMillisecondsOfRateWithinTenDatagramsAndTheWindow()
    {
        assertEquals(28_800, Pacer.burstBytes(CWND, 14_400_000, DATAGRAM), "2 ms of 14.4 MB/s");
        assertEquals(10 * DATAGRAM, Pacer.burstBytes(CWND, 1_000_000, DATAGRAM), "floor: ten datagrams");
        assertEquals(CWND, Pacer.burstBytes(CWND, 1e12, DATAGRAM), "never beyond the window");
        assertEquals(10 * 9000, Pacer.burstBytes(CWND, 1_000_000, 9000), "floor follows the datagram size");
    }

    @Test
    void sendsAtThePacingRateInAvoidance()
    {
        final Pacer pacer = new Pacer(true);
        final double rate = Pacer.rateBytesPerSecond(CWND, SRTT_NS, false);
        final long burst = Pacer.burstBytes(CWND, rate, DATAGRAM);
        drive(pacer, 50 * MS, false); // settle
        final long sent = drive(pacer, 1000 * MS, false);
        final double expected = rate; // one second
        assertTrue(sent <= expected + burst + DATAGRAM, () -> "sent " + sent + " > rate + burst");
        assertTrue(sent >= 0.97 * expected, () -> "sent " + sent + " well below the rate " + expected);
    }

    @Test
    void slowStartGainIsTwoAvoidanceGainOnePointTwo()
    {
        final long inSlowStart = drive(new Pacer(true), 500 * MS, true);
        nowNs += 10_000 * MS;
        final long inAvoidance = drive(new Pacer(true), 500 * MS, false);
        final double ratio = (double)inSlowStart / inAvoidance;
        assertEquals(2.0 / 1.2, ratio, 0.05, () -> "slow start / avoidance = " + ratio);
    }

    @Test
    void releasesHalfBucketBurstsAndSleepsBetweenThem()
    {
        final Pacer pacer = new Pacer(true);
        assertTrue(pacer.canSend(nowNs, CWND, SRTT_NS, true, false, DATAGRAM)); // first sample: full bucket
        final long burst = pacer.burstBytes();
        assertEquals(28_800, burst);
        long sent = 0;
        while (pacer.canSend(nowNs, CWND, SRTT_NS, true, false, DATAGRAM))
        {
            pacer.onPacketSent(DATAGRAM);
            sent += DATAGRAM;
        }
        assertEquals(burst, sent, "a full bucket leaves at once");
        final long release = pacer.nextReleaseNs();
        final double rate = pacer.rateBytesPerSecond();
        final long expectedRelease = nowNs + (long)(burst / 2 * 1e9 / rate); // half full again
        assertTrue(Math.abs(release - expectedRelease) < 1_000, () -> "release " + release + " vs " + expectedRelease);

        nowNs += 100_000; // a tenth of the way: still held, though some tokens accrued (no drip)
        assertFalse(pacer.canSend(nowNs, CWND, SRTT_NS, true, false, DATAGRAM));
        assertFalse(pacer.canSend(release - 1_000, CWND, SRTT_NS, true, false, DATAGRAM));
        assertTrue(pacer.canSend(release, CWND, SRTT_NS, true, false, DATAGRAM), "released on time");
        assertEquals(TokenBucket.NOT_BLOCKED, pacer.nextReleaseNs());
        long second = 0;
        while (pacer.canSend(release, CWND, SRTT_NS, true, false, DATAGRAM))
        {
            pacer.onPacketSent(DATAGRAM);
            second += DATAGRAM;
        }
        assertEquals(burst / 2, second, "then bursts of half the bucket");
    }

    @Test
    void idleTimeBanksNoMoreThanOneBurst()
    {
        final Pacer pacer = new Pacer(true);
        drive(pacer, 20 * MS, false);
        nowNs += 10_000 * MS; // ten idle seconds
        long atOnce = 0;
        while (pacer.canSend(nowNs, CWND, SRTT_NS, true, false, DATAGRAM))
        {
            pacer.onPacketSent(DATAGRAM);
            atOnce += DATAGRAM;
        }
        final long burst = pacer.burstBytes();
        assertTrue(atOnce >= burst && atOnce < burst + DATAGRAM, "after idling, one burst: " + atOnce);
        final long next100Ms = drive(pacer, 100 * MS, false);
        assertTrue(
            next100Ms <= pacer.rateBytesPerSecond() / 10 + DATAGRAM,
            () -> "then the plain rate: " + next100Ms);
    }

    @Test
    void followsWindowChanges()
    {
        final Pacer pacer = new Pacer(true);
        drive(pacer, 50 * MS, false);
        long sent = 0;
        final long end = nowNs + 500 * MS;
        for (; nowNs < end; nowNs += STEP_NS)
        {
            while (pacer.canSend(nowNs, CWND / 2, SRTT_NS, true, false, DATAGRAM))
            {
                pacer.onPacketSent(DATAGRAM);
                sent += DATAGRAM;
            }
        }
        final double halfRate = Pacer.rateBytesPerSecond(CWND / 2, SRTT_NS, false);
        final double expected = halfRate / 2;
        assertEquals(expected, sent, expected * 0.05, "half the window, half the rate");
    }

    @Test
    void nothingIsPacedBeforeAnRttSampleOrWhenOff()
    {
        final Pacer beforeSample = new Pacer(true);
        final Pacer off = new Pacer(false);
        for (int i = 0; i < 10_000; i++)
        {
            assertTrue(beforeSample.canSend(nowNs, CWND, SRTT_NS, false, true, DATAGRAM));
            beforeSample.onPacketSent(DATAGRAM);
            assertTrue(off.canSend(nowNs, CWND, SRTT_NS, true, false, DATAGRAM));
            off.onPacketSent(DATAGRAM);
        }
        assertEquals(TokenBucket.NOT_BLOCKED, beforeSample.nextReleaseNs());
        assertEquals(TokenBucket.NOT_BLOCKED, off.nextReleaseNs());
        assertFalse(off.isEnabled());
    }

    @Test
    void sharedTransportLimitCapsTheSumOfConnections()
    {
        final long cap = 5_000_000;
        final long depth = Pacer.burstBytes(Long.MAX_VALUE, cap, DATAGRAM);
        final TokenBucket limit = new TokenBucket(cap, depth, nowNs);
        final Pacer a = new Pacer(true);
        final Pacer b = new Pacer(false); // pacing off: the cap still applies
        a.transportLimit(limit);
        b.transportLimit(limit);
        final Pacer[] pacers = {a, b};
        final long[] sent = new long[2];
        final long end = nowNs + 1000 * MS;
        int first = 0;
        for (; nowNs < end; nowNs += STEP_NS)
        {
            for (int k = 0; k < 2; k++)
            {
                final int i = (first + k) % 2;
                boolean sentSome = false;
                while (pacers[i].canSend(nowNs, CWND, SRTT_NS, true, false, DATAGRAM))
                {
                    pacers[i].onPacketSent(DATAGRAM);
                    sent[i] += DATAGRAM;
                    sentSome = true;
                }
                if (sentSome)
                {
                    first = (i + 1) % 2; // the next turn starts after the one who sent, as the engine's does
                }
            }
        }
        final long sentA = sent[0];
        final long sentB = sent[1];
        final long total = sentA + sentB;
        assertTrue(total <= cap + depth + 2 * DATAGRAM, "cap x 1 s + one burst: " + total);
        assertTrue(total >= 0.95 * cap, "the cap is used: " + total);
        assertTrue(sentA > 0 && sentB > 0);
        while (a.canSend(nowNs, CWND, SRTT_NS, true, false, DATAGRAM))
        {
            a.onPacketSent(DATAGRAM);
        }
        assertTrue(limit.isBlocked());
        assertFalse(b.canSend(nowNs, CWND, SRTT_NS, true, false, DATAGRAM));
        assertEquals(limit.releaseTimeNs(), b.nextReleaseNs(), "a held connection reports the cap's release");
    }

    @Test
    void tokenBucketRejectsBadSettingsAndClampsToNewDepth()
    {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(10, 0, 0));
        final TokenBucket bucket = new TokenBucket(1_000_000, 10_000, 0);
        assertEquals(10_000, bucket.tokens(), 0);
        bucket.configure(1_000_000, 4_000);
        assertEquals(4_000, bucket.tokens(), 0);
        bucket.consume(3_000);
        assertTrue(bucket.canSend(0), "positive balance: allowed");
        bucket.consume(3_000);
        assertFalse(bucket.canSend(0), "overdrawn: blocked until full");
        assertEquals(-2_000, bucket.tokens(), 0);
        final long release = bucket.releaseTimeNs();
        assertEquals(4_000_000, release, 1_000, "4,000 bytes at 1 MB/s to be half full");
        assertFalse(bucket.canSend(release - 2_000));
        assertTrue(bucket.canSend(release));
    }
}
