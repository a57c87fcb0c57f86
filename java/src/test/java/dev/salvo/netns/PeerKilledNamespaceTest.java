/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.netns;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.salvo.testing.ChildProcess;
import dev.salvo.testing.Namespace;
import dev.salvo.testing.NetnsLink;
import dev.salvo.testing.NetworkNamespaces;
import org.junit.jupiter.api.Test;

import static dev.salvo.testing.ChildProcess.field;
import static dev.salvo.testing.ChildProcess.longField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4: a peer killed mid-transfer is reported, not waited on forever, and its memory is released. The
 * receiver JVM (in its own namespace) is SIGKILLed while the sender JVM streams to it; the sender, with a 1 s idle
 * timeout, must see {@code IDLE_TIMEOUT} within the idle timeout plus slack, its blocked {@code send} must return
 * {@code CLOSED}, the transport must hold no connection, and the dead connection object must become unreachable
 * (garbage-collected: nothing of the transport keeps its rings or core).
 */
class PeerKilledNamespaceTest
{
    static final int PORT = 7_412;
    static final long IDLE_TIMEOUT_MS = 1_000;
    static final int MESSAGE_SIZE = 16 * 1024;

    @Test
    void killedPeerIsReportedAndReleased() throws Exception
    {
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final Namespace senderNs = net.namespace();
            final Namespace receiverNs = net.namespace();
            final NetnsLink link = net.link(senderNs, receiverNs);

            final ChildProcess receiver = net.startJvm(
                receiverNs, TransferPeers.Receiver.class, List.of(), link.addressB(), Integer.toString(PORT));
            receiver.awaitLine("READY", NetworkNamespaces.CHILD_START_TIMEOUT_MS);
            final ChildProcess sender = net.startJvm(senderNs, TransferPeers.Sender.class, List.of(),
                link.addressB(), Integer.toString(PORT), "stream", Integer.toString(MESSAGE_SIZE), Long.toString(IDLE_TIMEOUT_MS));
            sender.awaitLine("STREAMING", NetworkNamespaces.CHILD_START_TIMEOUT_MS);
            receiver.awaitLine("RECEIVING", NetworkNamespaces.CHILD_START_TIMEOUT_MS);

            final long killedNs = System.nanoTime();
            receiver.kill();
            final String closed = sender.awaitLine("CLOSED", IDLE_TIMEOUT_MS + 20_000);
            final long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
            final String context = "\n" + sender.transcript() + "\n" + receiver.transcript();

            assertEquals("IDLE_TIMEOUT", field(closed, "reason"), context);
            // Reported after the idle timeout of silence, and not much later (slack for a loaded 2-core machine).
            assertTrue(detectedMs >= IDLE_TIMEOUT_MS - 100 && detectedMs <= IDLE_TIMEOUT_MS + 10_000,
                "reported " + detectedMs + " ms after the kill" + context);
            assertEquals(-2, longField(closed, "blockedSendReturned"), "the blocked send returns CLOSED" + context);
            assertEquals(-2, longField(closed, "sendAfterClose"), context);
            assertEquals(0, longField(closed, "openConnections"), context);

            final String released = sender.awaitLine("RELEASED", 30_000);
            assertEquals("true", field(released, "collected"), "the dead connection is still reachable" + context);
            assertEquals(0, longField(released, "openConnections"), context);
            assertEquals(0, sender.awaitExit(30_000), context);
            System.out.println("peer killed: reported after " + detectedMs + " ms; " + closed + "\n" + released);
        }
    }
}
