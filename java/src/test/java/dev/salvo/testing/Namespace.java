/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One network namespace made by {@link NetworkNamespaces}: its own interfaces, routes, firewall and sockets.
 * Nothing here touches the host's (root) namespace.
 */
public final class Namespace
{
    /** nftables table holding the random-loss rules ({@link #dropUdp}). */
    public static final String LOSS_TABLE = "salvo_loss";

    private final String name;
    private final String ip;

    Namespace(final String name, final String ip)
    {
        this.name = name;
        this.ip = ip;
    }

    /** @return the namespace's name ({@code salvo-<pid>-<n>}). */
    public String name()
    {
        return name;
    }

    /** @return {@code ip netns exec <name>}: prefix a command with it to run it inside. */
    public List<String> execPrefix()
    {
        return List.of(ip, "netns", "exec", name);
    }

    /**
     * Runs a command inside the namespace.
     *
     * @param command the command (a tool name is resolved on PATH, /usr/sbin and /sbin).
     * @return its output.
     * @throws IllegalStateException if it fails.
     */
    public String exec(final String... command) throws IOException
    {
        return execWithInput(null, command);
    }

    /**
     * Runs a command inside the namespace with text on its standard input.
     *
     * @param stdin   standard input, or null.
     * @param command the command.
     * @return its output.
     * @throws IllegalStateException if it fails.
     */
    public String execWithInput(final String stdin, final String... command) throws IOException
    {
        final List<String> full = new ArrayList<>(execPrefix());
        full.addAll(Arrays.asList(command));
        final HostCommands.Outcome outcome = HostCommands.run(full, stdin);
        if (!outcome.succeeded())
        {
            throw new IllegalStateException(String.join(" ", full) + " failed (" + outcome.exitCode + "): " + outcome.output);
        }
        return outcome.output;
    }

    /**
     * Drops UDP datagrams at random inside this namespace with nftables ({@code numgen random mod 100 < N drop}),
     * separately for datagrams arriving (input hook) and leaving (output hook), so one namespace can make a link
     * lossy in both directions. Replaces earlier loss rules. Skips the test (assumption) without {@code nft}.
     *
     * <p>Netfilter counts packets as the stack holds them: a UDP GSO train is one packet at the output hook, and
     * at the input hook too when it crossed a veth whole. For per-datagram loss on a link use
     * {@link NetnsLink#randomLoss}, which splits trains before they cross and drops on input.
     *
     * @param ingressPercent percentage (0..100) of arriving UDP datagrams dropped.
     * @param egressPercent  percentage (0..100) of leaving UDP datagrams dropped.
     */
    public void dropUdp(final int ingressPercent, final int egressPercent) throws IOException
    {
        if (ingressPercent < 0 || ingressPercent > 100 || egressPercent < 0 || egressPercent > 100)
        {
            throw new IllegalArgumentException("loss percentages are 0..100: " + ingressPercent + ", " + egressPercent);
        }
        final String nft = requireTool("nft", "nftables");
        final StringBuilder rules = new StringBuilder();
        rules.append("table inet ").append(LOSS_TABLE).append(" {}\n");
        rules.append("delete table inet ").append(LOSS_TABLE).append('\n');
        rules.append("table inet ").append(LOSS_TABLE).append(" {\n");
        rules.append("  chain ingress_loss { type filter hook input priority 0; policy accept;\n");
        if (ingressPercent > 0)
        {
            rules.append("    meta l4proto udp numgen random mod 100 < ").append(ingressPercent).append(" counter drop\n");
        }
        rules.append("  }\n");
        rules.append("  chain egress_loss { type filter hook output priority 0; policy accept;\n");
        if (egressPercent > 0)
        {
            rules.append("    meta l4proto udp numgen random mod 100 < ").append(egressPercent).append(" counter drop\n");
        }
        rules.append("  }\n}\n");
        nft(nft, rules.toString());
    }

    /**
     * Loads an nftables ruleset fragment inside this namespace ({@code nft -f -}), e.g. to block ICMP
     * "fragmentation needed" for a PMTU black hole. Skips the test (assumption) without {@code nft}.
     *
     * @param ruleset nft script text.
     */
    public void nft(final String ruleset) throws IOException
    {
        nft(requireTool("nft", "nftables"), ruleset);
    }

    private void nft(final String nft, final String ruleset) throws IOException
    {
        final List<String> full = new ArrayList<>(execPrefix());
        full.addAll(List.of(nft, "-f", "-"));
        final HostCommands.Outcome outcome = HostCommands.run(full, ruleset);
        assumeTrue(outcome.succeeded(), () -> "nftables cannot load rules in a namespace here (" + outcome.output.trim() +
            "); ruleset:\n" + ruleset);
    }

    /** @return the nftables ruleset of this namespace ({@code nft list ruleset}), e.g. to read drop counters. */
    public String nftRuleset() throws IOException
    {
        return exec(requireTool("nft", "nftables"), "list", "ruleset");
    }

    /** Lets this namespace route between its links ({@code net.ipv4.ip_forward=1}, inside the namespace only). */
    public void enableForwarding() throws IOException
    {
        exec("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
    }

    /**
     * Adds a route inside this namespace.
     *
     * @param destination a CIDR such as {@code 10.201.1.0/30} (e.g. {@link NetnsLink#subnet()}).
     * @param via         the next hop's address (an address on a link of this namespace).
     */
    public void route(final String destination, final String via) throws IOException
    {
        exec(ip, "route", "add", destination, "via", via);
    }

    static String requireTool(final String tool, final String debianPackage)
    {
        final String path = HostCommands.find(tool);
        assumeTrue(null != path, () -> "'" + tool + "' is not installed (Debian package " + debianPackage + ")");
        return path;
    }

    @Override
    public String toString()
    {
        return name;
    }
}
