/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import org.junit.jupiter.api.Test;

import static dev.salvo.transport.sim.SimulatedCongestionTest.assertEverythingDeliveredOnce;

/**
 * Reproduces a flow-control deadlock (fails on main as of 6007e38 and on i5-cc 38af65d): an application
 * keeps the core full of 64 KiB messages (no outstanding-message cap) on a 50 ms, 100 Mbit/s path with a
 * 40 MiB send buffer and a 64 MiB receive window. The core bounds unacknowledged bytes
 * ({@code sendBufferLimit}) but not the bytes of messages started, and sends fragments round-robin over
 * every outstanding message; ~1700 messages (109 MB) are started, the receiver's whole window (MAX_DATA)
 * is spent on partial messages, none completes, nothing is consumed, no MAX_DATA follows, and the sender
 * stays blocked forever: 0 messages delivered, bytes in flight 0. With the defaults (16 MiB / 64 MiB) it did
 * not happen in the simulated scenarios; it needs the bytes of started messages to exceed the window, which
 * a send buffer of 40 MiB (any setting above roughly half the window) allows.
 * A fix must let every started message finish within the granted credit (e.g. start a message only when
 * the credit for all of it is there, or send the oldest messages' fragments first when credit is short).
 */
class FlowControlDeadlockTest
{
    @Test
    void aFullBacklogNeverDeadlocksOnFlowControl()
    {
        final ScenarioResult result = new Scenario().name("fc-deadlock").rttMs(50).queueBdp(1)
            .capOutstandingMessages(false).buffers(40L << 20, 64L << 20).durationSeconds(10, 5)
            .flow("a", CongestionControlFactory.NEW_RENO, 0).run();
        System.out.print(result);
        assertEverythingDeliveredOnce(result);
    }
}
