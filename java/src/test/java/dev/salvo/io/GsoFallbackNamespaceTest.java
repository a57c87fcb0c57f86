/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GSO rejected at send time loses nothing. Two network namespaces joined by a veth pair whose
 * sending end has TX checksum offload turned off ({@code ethtool -K ... tx off}): the kernel then
 * refuses GSO sends with EIO even though {@code setsockopt(UDP_SEGMENT)} succeeded. A child JVM in
 * the sending namespace sends GSO trains; a child JVM in the other namespace must receive every
 * datagram, and the sender must report exactly one GSO fallback. Skipped without root, {@code ip}
 * or {@code ethtool}, and (after checking every datagram arrived) on Linux 6.11+, which segments
 * in software instead of rejecting; the namespaces are deleted in {@code finally}.
 */
class GsoFallbackNamespaceTest
{
    static final String SENDER_ADDRESS = "10.213.77.1";
    static final String RECEIVER_ADDRESS = "10.213.77.2";
    static final int PORT = 47_000;
    static final int TRAINS = 3;
    static final int SEGMENTS = 20;
    static final int SEGMENT_SIZE = 1200;
    static final int DATAGRAMS = TRAINS * SEGMENTS;

    @Test
    void gsoRejectedAtSendTimeIsResentWithoutGso() throws Exception
    {
        assumeTrue(NativeLibrary.isAvailable(), () -> "native shim unavailable: " + NativeLibrary.description());
        assumeTrue(isRoot(), "needs root to create network namespaces");
        final String ip = onPath("ip");
        final String ethtool = onPath("ethtool");
        assumeTrue(null != ip && null != ethtool, "needs ip and ethtool on PATH");

        final String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        final String senderNs = "salvo-gso-tx-" + suffix;
        final String receiverNs = "salvo-gso-rx-" + suffix;
        final String senderVeth = "sgtx" + suffix;
        final String receiverVeth = "sgrx" + suffix;
        Process receiver = null;
        try
        {
            run(ip, "netns", "add", senderNs);
            run(ip, "netns", "add", receiverNs);
            run(ip, "link", "add", senderVeth, "netns", senderNs, "type", "veth", "peer", "name", receiverVeth,
                "netns", receiverNs);
            run(ip, "-n", senderNs, "addr", "add", SENDER_ADDRESS + "/24", "dev", senderVeth);
            run(ip, "-n", receiverNs, "addr", "add", RECEIVER_ADDRESS + "/24", "dev", receiverVeth);
            run(ip, "-n", senderNs, "link", "set", senderVeth, "up");
            run(ip, "-n", receiverNs, "link", "set", receiverVeth, "up");
            run(ip, "-n", senderNs, "link", "set", "lo", "up");
            run(ip, "-n", receiverNs, "link", "set", "lo", "up");
            run(ip, "netns", "exec", senderNs, ethtool, "-K", senderVeth, "tx", "off");

            receiver = new ProcessBuilder(childCommand(ip, receiverNs, ReceiverMain.class))
                .redirectErrorStream(true).start();
            final BufferedReader receiverOutput =
                new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
            final StringBuilder receiverLog = new StringBuilder();
            String line;
            while (null != (line = receiverOutput.readLine()) && !line.startsWith("READY"))
            {
                receiverLog.append(line).append('\n');
            }
            assertTrue(null != line, "receiver did not start: " + receiverLog);

            final ChildJvm.Result sender = ChildJvm.run(
                Arrays.asList(ip, "netns", "exec", senderNs), SenderMain.class);
            assertEquals(0, sender.exitCode, sender.output);
            assertTrue(sender.output.contains("datagramsSent=" + DATAGRAMS), sender.output);

            while (null != (line = receiverOutput.readLine()))
            {
                receiverLog.append(line).append('\n');
            }
            assertTrue(receiver.waitFor(30, TimeUnit.SECONDS), "receiver finished");
            assertEquals(0, receiver.exitValue(), receiverLog.toString());
            assertTrue(receiverLog.toString().contains("RECEIVED " + DATAGRAMS), receiverLog.toString());

            // Linux 6.11+ segments GSO in software when the device lacks checksum offload (commit
            // 10154dbded6d), so the kernel no longer rejects it; GsoRejectionTest covers EINVAL there.
            assumeTrue(!sender.output.contains("gsoFallbacks=0 "),
                "this kernel accepts GSO without TX checksum offload (Linux >= 6.11); nothing was rejected");
            assertTrue(sender.output.contains("gsoFallbacks=1 "), sender.output);
            assertTrue(sender.output.contains("gsoAfter=false"), sender.output);
        }
        finally
        {
            if (null != receiver)
            {
                receiver.destroyForcibly();
                receiver.waitFor(10, TimeUnit.SECONDS);
            }
            runQuietly(ip, "netns", "del", senderNs);
            runQuietly(ip, "netns", "del", receiverNs);
        }
    }

    /** Sender child: GSO trains to the receiver namespace; GSO must fail and be replaced. */
    public static final class SenderMain
    {
        public static void main(final String[] args) throws Exception
        {
            try (DatagramEndpoint sender = NativeDatagramEndpoint.open(
                new EndpointConfig(new InetSocketAddress(InetAddress.getByName(SENDER_ADDRESS), 0))))
            {
                System.out.println("gsoBefore=" + sender.capabilities().gso());
                final PeerAddress destination =
                    PeerAddress.of(new InetSocketAddress(InetAddress.getByName(RECEIVER_ADDRESS), PORT));
                final SendBatch batch = new SendBatch(TRAINS, DATAGRAMS * SEGMENT_SIZE);
                for (int t = 0; t < TRAINS; t++)
                {
                    final int offset = batch.addSegmented(destination, SEGMENTS * SEGMENT_SIZE, SEGMENT_SIZE);
                    for (int s = 0; s < SEGMENTS; s++)
                    {
                        Loopback.fill(batch, offset + s * SEGMENT_SIZE, SEGMENT_SIZE, t * SEGMENTS + s);
                    }
                }
                Loopback.sendAll(sender, batch);
                final EndpointStats stats = sender.stats();
                System.out.println("gsoFallbacks=" + stats.gsoFallbacks() + " gsoAfter=" + sender.capabilities().gso() +
                    " datagramsSent=" + stats.datagramsSent() + " syscalls=" + stats.sendSyscalls());
            }
        }
    }

    /** Receiver child: every datagram must arrive, intact and in order. */
    public static final class ReceiverMain
    {
        public static void main(final String[] args) throws Exception
        {
            try (DatagramEndpoint receiver = NativeDatagramEndpoint.open(
                new EndpointConfig(new InetSocketAddress(InetAddress.getByName(RECEIVER_ADDRESS), PORT))))
            {
                System.out.println("READY");
                System.out.flush();
                final List<Loopback.Received> received =
                    Loopback.receive(receiver, receiver.newReceiveBatch(64, SEGMENT_SIZE), DATAGRAMS);
                for (int i = 0; i < DATAGRAMS; i++)
                {
                    Loopback.assertPattern(received.get(i).payload, SEGMENT_SIZE, i);
                }
                System.out.println("RECEIVED " + received.size());
            }
        }
    }

    private static List<String> childCommand(final String ip, final String ns, final Class<?> main)
    {
        final List<String> command = new ArrayList<>(Arrays.asList(ip, "netns", "exec", ns));
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        return command;
    }

    static boolean isRoot()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    return "0".equals(line.split("\\s+")[2]);
                }
            }
        }
        catch (final Exception ignore)
        {
            // not Linux
        }
        return false;
    }

    static String onPath(final String tool)
    {
        for (final String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":"))
        {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        return null;
    }

    static void run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assumeTrue(0 == process.exitValue(), () -> "cannot set up namespaces (" + String.join(" ", command) + "): " + output);
    }

    static void runQuietly(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (final Exception ignore)
        {
            // best effort cleanup; a leftover namespace is reported by `ip netns list`
        }
    }
}
