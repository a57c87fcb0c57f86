/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.transport.flow.ReceiveCreditShare;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.HashSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Receive flow control with the credit cap an unprivileged host gives (the kernel's default
 * {@code rmem_max}, 212,992 bytes, reported as 425,984): two real cores over a simulated link (virtual
 * clock, seeded), so the deadlock cases are deterministic. Nothing may stall: messages larger than the credit,
 * messages exactly one counted part long (the batching dead zone), paused receivers, loss and reordering; and
 * the credit outstanding (what a stalled reader's socket must hold) stays within what such a buffer holds.
 */
class SmallReceiveBufferFlowTest
{
    private static final long MS = 1_000_000L;
    /** Linux reports twice the request; 212,992 is the default net.core.rmem_max. */
    private static final long DEFAULT_HOST_BUFFER = 2 * 212_992;
    /** Payload a 425,984-byte buffer held of 1200-8972-byte datagrams read one by one (measured on loopback). */
    private static final long DEFAULT_HOST_BUFFER_HOLDS = 220_000;

    private final FlowControlTest.Recorder a = new FlowControlTest.Recorder();
    private final FlowControlTest.Recorder b = new FlowControlTest.Recorder();

    private ReliableConnectionCore[] pair(final int maxMessage, final long creditCap)
    {
        final ConnectionSettings settings = new ConnectionSettings().maxMessageLength(maxMessage)
            .receiveWindow(4L << 20).sendBufferLimit(64L << 20)
            .keepAliveIntervalNs(Long.MAX_VALUE / 4).idleTimeoutNs(Long.MAX_VALUE / 4);
        final ReliableConnectionCore[] cores = {
            a.attach(new ReliableConnectionCore(settings, a, new ReliableConnectionCoreTest.UnlimitedWindow(), 0)),
            b.attach(new ReliableConnectionCore(settings, b, new ReliableConnectionCoreTest.UnlimitedWindow(), 0))};
        cores[0].receiveCreditCap(creditCap);
        cores[1].receiveCreditCap(creditCap);
        return cores;
    }

    private static byte[] pattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + seed);
        }
        return bytes;
    }

    /** @return the receiver's credit the sender may still use: MAX_DATA and per-message grants beyond what arrived. */
    private static long outstanding(final ReliableConnectionCore receiver)
    {
        return receiver.receiveFlow().advertised() - receiver.receiveFlow().received() +
            receiver.messageFlow().creditOut();
    }

    /**
     * Runs the link until everything sent was acknowledged and delivered, or {@code maxSteps}; asserts on every
     * step that the receiver's outstanding credit stays within {@code bound}. @return steps taken.
     */
    private int runChecked(
        final LossyLink link, final ReliableConnectionCore[] cores, final int count, final int maxSteps, final long bound)
    {
        int step = 0;
        while (step < maxSteps && (a.acked.size() < count || b.delivered.size() < count))
        {
            link.flush(cores, 0);
            link.flush(cores, 1);
            final long out = outstanding(cores[1]);
            assertTrue(out <= bound, "credit outstanding " + out + " > " + bound + " at step " + step);
            if (!link.step(cores))
            {
                break;
            }
            step++;
        }
        return step;
    }

    /** @return the flow-control state of both sides, for a failure message. */
    private static String state(final ReliableConnectionCore[] cores)
    {
        return "sender maxData=" + cores[0].sendFlow().maxData() + " sent=" + cores[0].sendFlow().sent() +
            " flowBlocked=" + cores[0].outbound().isFlowBlocked() + " pending=" + cores[0].outbound().hasPending() +
            " | receiver advertised=" + cores[1].receiveFlow().advertised() + " received=" + cores[1].receiveFlow().received() +
            " consumed=" + cores[1].receiveFlow().consumed() + " held=" + cores[1].messageFlow().held() +
            " creditOut=" + cores[1].messageFlow().creditOut() + " admitted=" + cores[1].messageFlow().messagesAdmitted() +
            " waiting=" + cores[1].messageFlow().messagesWaiting() + " grants=" + cores[1].messageFlow().grantsWritten() +
            " blockedSignals=" + cores[1].messageFlow().blockedSignals() + " reassembly=" + cores[1].inbound().reassemblyBytes() +
            " base=" + cores[1].inbound().base();
    }

    @Test
    void theCapOfADefaultHostIsOneCountedPartPerConnectionAtLeast()
    {
        // An eighth of 425,984 is 53,248, below a message's counted part; the floor lifts it.
        assertEquals(ConnectionSettings.INITIAL_MAX_MESSAGE_DATA, ReceiveCreditShare.share(DEFAULT_HOST_BUFFER, 1));
        // Many connections never push a connection's cap below what starts a message (no deadlock by sharing).
        assertEquals(ConnectionSettings.INITIAL_MAX_MESSAGE_DATA, ReceiveCreditShare.share(DEFAULT_HOST_BUFFER, 1000));
        // Twice the cap (MAX_DATA and per-message grants) on the way fits the buffer, and so does the initial limit.
        assertTrue(2 * ReceiveCreditShare.share(DEFAULT_HOST_BUFFER, 1) <= DEFAULT_HOST_BUFFER_HOLDS);
        assertTrue(ConnectionSettings.INITIAL_MAX_DATA + ConnectionSettings.INITIAL_MAX_MESSAGE_DATA <= DEFAULT_HOST_BUFFER_HOLDS);
        // A big forced buffer keeps its large share (no throughput thrown away).
        assertEquals((128L << 20) / 8, ReceiveCreditShare.share(128L << 20, 1));
    }

    @Test
    void aShortGrantIsReportedOnceWithTheSettingAndTheFigureNeeded()
    {
        final String warning = ReceiveCreditShare.shortfallWarning(64L << 20, DEFAULT_HOST_BUFFER);
        assertNotNull(warning);
        assertTrue(warning.contains("net.core.rmem_max=" + (64L << 20)), warning);
        assertTrue(warning.contains(Long.toString(DEFAULT_HOST_BUFFER)), warning);
        assertNull(ReceiveCreditShare.shortfallWarning(64L << 20, 128L << 20), "a full grant (Linux doubles it) is fine");
        assertNull(ReceiveCreditShare.shortfallWarning(212_992, DEFAULT_HOST_BUFFER), "a small request granted is fine");
        assertNull(ReceiveCreditShare.shortfallWarning(0, DEFAULT_HOST_BUFFER), "no request: the system default");
    }

    /**
     * Messages of exactly one counted part (64 KiB) one after another under a 64 KiB cap: each needs all the
     * credit the cap allows before it may start. With MAX_DATA raised only in batches of a quarter of the cap,
     * the sender's credit settled between 48 and 64 KiB and it waited for good (DATA_BLOCKED only resent the
     * same limit); a DATA_BLOCKED at the limit now raises it at once.
     */
    @Test
    void messagesOfOneCountedPartEachDoNotStallUnderTheSmallestCap()
    {
        final ReliableConnectionCore[] cores = pair(1 << 20, ReceiveCreditShare.MIN_SHARE);
        final LossyLink link = new LossyLink(11, 0, 0, MS, 0);
        final int count = 64;
        final int length = (int)ConnectionSettings.INITIAL_MAX_MESSAGE_DATA;
        for (int i = 0; i < count; i++)
        {
            assertTrue(cores[0].send(new UnsafeBuffer(pattern(length - (i % 3) * 5_000, i)), 0, length - (i % 3) * 5_000, false) >= 0);
        }
        final int steps = runChecked(link, cores, count, 200_000, 2 * ReceiveCreditShare.MIN_SHARE);
        assertTrue(steps < 200_000, "no stall: " + b.delivered.size() + " of " + count + " delivered");
        assertEquals(count, b.delivered.size());
        assertEquals(count, new HashSet<>(b.delivered).size(), "exactly once");
    }

    /**
     * Every size around the limits (small, one counted part, just above, several times the cap, far beyond the
     * credit), ordered and not, over a lossy, reordering, duplicating link: everything arrives intact and the
     * outstanding credit never exceeds twice the cap (MAX_DATA plus per-message grants). Without a cap too: an
     * ordered message admitted ahead of a lower one whose first fragment was lost used to hold the window the
     * lower one needed (3 of these 6 seeds stalled uncapped, 1 under the smallest cap).
     */
    @ParameterizedTest(name = "seed {0}, capped {1}")
    @CsvSource({"21,true", "22,true", "23,true", "24,true", "25,true", "26,true",
        "21,false", "22,false", "23,false", "24,false", "25,false", "26,false"})
    void messagesOfEverySizeArriveOverALossyLink(final int seed, final boolean capped)
    {
        final ReliableConnectionCore[] cores = pair(3 << 20, capped ? ReceiveCreditShare.MIN_SHARE : Long.MAX_VALUE);
        final LossyLink link = new LossyLink(seed, 0.03, 0.01, 2 * MS, MS);
        final int[] sizes = {100, 4_000, 60_000, 65_536, 65_537, 200_000, 1 << 20, 3 << 20};
        final int count = 40;
        final byte[][] sent = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            sent[i] = pattern(sizes[(i * 5 + seed) % sizes.length], i);
            assertTrue(cores[0].send(new UnsafeBuffer(sent[i]), 0, sent[i].length, i % 2 == 0) >= 0);
        }
        final int steps = runChecked(link, cores, count, 1_000_000, capped ? 2 * ReceiveCreditShare.MIN_SHARE : Long.MAX_VALUE);
        assertTrue(steps < 1_000_000, "no stall: " + b.delivered.size() + " of " + count + " delivered; " + state(cores));
        assertEquals(count, b.delivered.size());
        for (int k = 0; k < count; k++)
        {
            final int id = (int)(long)b.delivered.get(k);
            assertTrue(Arrays.equals(sent[id], b.payloads.get(k)), "message " + id + " intact");
        }
        assertEquals(0, cores[1].inbound().reassemblyBytes());
    }

    /**
     * A receiver paused from the start under the smallest cap: the sender is held back with no more than the
     * initial limits on the way (nothing beyond what the buffer holds), and everything arrives once it resumes.
     */
    @Test
    void aPausedReceiverUnderTheSmallestCapHoldsTheSenderBackAndResumes()
    {
        final ReliableConnectionCore[] cores = pair(1 << 20, ReceiveCreditShare.MIN_SHARE);
        final LossyLink link = new LossyLink(31, 0, 0, MS, 0);
        cores[1].receivePaused(true, link.nowNs);
        final int count = 200;
        for (int i = 0; i < count; i++)
        {
            final int length = i % 5 == 0 ? 300_000 : 9_000;
            assertTrue(cores[0].send(new UnsafeBuffer(pattern(length, i)), 0, length, i % 3 == 0) >= 0);
        }
        for (int step = 0; step < 50_000 && !(link.idle() && step > 0); step++)
        {
            link.flush(cores, 0);
            link.flush(cores, 1);
            assertTrue(outstanding(cores[1]) <= 2 * ReceiveCreditShare.MIN_SHARE);
            link.step(cores);
        }
        assertTrue(link.idle(), "the exchange came to rest");
        assertTrue(b.delivered.isEmpty(), "nothing delivered while paused");
        assertTrue(cores[1].receiveFlow().received() <= ConnectionSettings.INITIAL_MAX_DATA,
            "the sender used no more than the initial limit: " + cores[1].receiveFlow().received());
        assertTrue(cores[0].outbound().isFlowBlocked(), "the sender waits for MAX_DATA");

        cores[1].receivePaused(false, link.nowNs);
        final int steps = runChecked(link, cores, count, 400_000, 2 * ReceiveCreditShare.MIN_SHARE);
        assertTrue(steps < 400_000, "no stall after resume: " + b.delivered.size() + " of " + count);
        assertEquals(count, b.delivered.size());
        assertEquals(count, new HashSet<>(b.delivered).size(), "exactly once");
    }
}
