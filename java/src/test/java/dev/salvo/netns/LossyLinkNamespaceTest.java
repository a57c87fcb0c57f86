/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.netns;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.salvo.testing.ChildProcess;
import dev.salvo.testing.Namespace;
import dev.salvo.testing.NetnsLink;
import dev.salvo.testing.NetworkNamespaces;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.salvo.testing.ChildProcess.field;
import static dev.salvo.testing.ChildProcess.longField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4: messages cross a lossy link whole, exactly once, intact. Two namespaces joined by a veth; nftables
 * drops {@code numgen random mod 100 < N} of the UDP datagrams in each direction (data at the receiver,
 * acknowledgements at the sender; GSO trains split into datagrams on the veth, {@code NetnsLink#randomLoss}),
 * N = 1, 5, 20. A sender JVM and a receiver JVM (one per namespace, public
 * API only) move 1 KiB and 1 MiB messages carrying their index and a CRC32C; the receiver checks every one, counts
 * duplicates and corruption, and the CRC sums of both sides must match. The nft counters prove datagrams were
 * dropped, the sender's stats that it recovered by retransmitting. Sizes are bounded so each case takes seconds.
 */
class LossyLinkNamespaceTest
{
    static final int PORT = 7_411;
    static final long TRANSFER_TIMEOUT_MS = 140_000;
    private static final Pattern DROPPED = Pattern.compile("counter packets (\\d+) bytes \\d+ drop");

    @ParameterizedTest(name = "{0}% loss each way: {1}")
    @CsvSource({
        "1,  '1000x1024,6x1048576'",
        "5,  '1000x1024,4x1048576'",
        "20, '300x1024,1x1048576'",
    })
    void everyMessageArrivesExactlyOnceIntact(final int lossPercent, final String plan) throws Exception
    {
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final Namespace senderNs = net.namespace();
            final Namespace receiverNs = net.namespace();
            final NetnsLink link = net.link(senderNs, receiverNs);
            link.randomLoss(lossPercent, lossPercent);

            final ChildProcess receiver = net.startJvm(
                receiverNs, TransferPeers.Receiver.class, List.of(), link.addressB(), Integer.toString(PORT));
            receiver.awaitLine("READY", NetworkNamespaces.CHILD_START_TIMEOUT_MS);
            final ChildProcess sender = net.startJvm(
                senderNs, TransferPeers.Sender.class, List.of(), link.addressB(), Integer.toString(PORT), "transfer", plan);

            final int senderExit = sender.awaitExit(TRANSFER_TIMEOUT_MS);
            assertEquals(0, senderExit, () -> "sender\n" + sender.transcript() + "\n" + receiver.transcript());
            final int receiverExit = receiver.awaitExit(30_000);
            final String context = "\n" + sender.transcript() + "\n" + receiver.transcript();
            assertEquals(0, receiverExit, "receiver" + context);

            final String acked = sender.awaitLine("ACKED", 1_000);
            final String done = receiver.awaitLine("DONE", 1_000);
            final long expectedMessages = TransferPeers.assertDeliveredWhole(plan, acked, done, context);
            assertEquals(expectedMessages, longField(acked, "acknowledged"), context);
            // The sender's graceful close ends with one CLOSE frame, which the link may drop like any datagram; the
            // receiver then learns of the end from its idle timeout. Either way it has everything already.
            final String receiverClose = field(receiver.awaitLine("CLOSED", 1_000), "reason");
            assertTrue("PEER_CLOSE".equals(receiverClose) || "IDLE_TIMEOUT".equals(receiverClose), receiverClose + context);

            final long dropped = droppedDatagrams(receiverNs.nftRuleset()) + droppedDatagrams(senderNs.nftRuleset());
            // At 1% the acknowledgement direction carries a few hundred datagrams, so it may see no drop at all
            // (0.99^300 ≈ 5%); from 5% on, both directions must have lost some.
            assertTrue(droppedDatagrams(receiverNs.nftRuleset()) > 0, "nft must drop data:\n" + receiverNs.nftRuleset());
            assertTrue(lossPercent < 5 || droppedDatagrams(senderNs.nftRuleset()) > 0,
                "nft must drop in both directions:\n" + receiverNs.nftRuleset() + senderNs.nftRuleset());
            assertTrue(longField(acked, "packetsRetransmitted") > 0 || longField(acked, "packetsLost") > 0,
                "datagrams were dropped (" + dropped + ") yet the sender saw no loss" + context);
            System.out.println("loss " + lossPercent + "%: dropped " + dropped + " datagrams; receiver saw " + receiverClose +
                "; " + acked);
        }
    }

    private static long droppedDatagrams(final String ruleset)
    {
        long total = 0;
        final Matcher matcher = DROPPED.matcher(ruleset);
        while (matcher.find())
        {
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }
}
