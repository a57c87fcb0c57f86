/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A veth pair joining two {@link Namespace}s, with a /30 of the private test range {@code 10.201.<k>.0/30}
 * that exists only inside those two namespaces: side A is {@code .1}, side B is {@code .2}.
 *
 * <p>Shaping applies to a side's egress (what that namespace sends): {@link #tbf} for a bottleneck,
 * {@link #netem} for delay/loss/reordering (where the kernel has sch_netem), both together as netem with a
 * tbf child. MTU applies to both ends.
 */
public final class NetnsLink
{
    private final Namespace a;
    private final Namespace b;
    private final String deviceA;
    private final String deviceB;
    private final int index;
    private final String ip;

    NetnsLink(
        final Namespace a, final Namespace b, final String deviceA, final String deviceB, final int index, final String ip)
    {
        this.a = a;
        this.b = b;
        this.deviceA = deviceA;
        this.deviceB = deviceB;
        this.index = index;
        this.ip = ip;
    }

    /** @return side A's namespace. */
    public Namespace a()
    {
        return a;
    }

    /** @return side B's namespace. */
    public Namespace b()
    {
        return b;
    }

    /** @return side A's address as text, {@code 10.201.<k>.1}. */
    public String addressA()
    {
        return "10.201." + index + ".1";
    }

    /** @return side B's address as text, {@code 10.201.<k>.2}. */
    public String addressB()
    {
        return "10.201." + index + ".2";
    }

    /** @return the link's subnet, {@code 10.201.<k>.0/30}. */
    public String subnet()
    {
        return "10.201." + index + ".0/30";
    }

    /**
     * @param side one of the two namespaces.
     * @return that side's address on this link.
     */
    public String addressOf(final Namespace side)
    {
        return side == a ? addressA() : checkB(side).addressB();
    }

    /**
     * @param side one of the two namespaces.
     * @return that side's address as an {@link InetAddress}.
     */
    public InetAddress inetAddressOf(final Namespace side)
    {
        try
        {
            return InetAddress.getByName(addressOf(side));
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @param side one of the two namespaces.
     * @return that side's veth device name.
     */
    public String deviceOf(final Namespace side)
    {
        return side == a ? deviceA : checkB(side).deviceB;
    }

    /**
     * Makes each end split GSO trains into single datagrams when it transmits ({@code ethtool -K <dev>
     * tx-udp-segmentation off}). A veth otherwise passes a UDP GSO train (up to 64 datagrams) to the other side
     * as one packet, so netfilter rules and qdiscs there act on whole trains; with this they see datagrams, as on a
     * real wire. Applications still send with GSO (the kernel segments in software). Skips the test (assumption)
     * without {@code ethtool}.
     *
     * @return this.
     */
    public NetnsLink segmentOnTransmit() throws IOException
    {
        final String ethtool = Namespace.requireTool("ethtool", "ethtool");
        a.exec(ethtool, "-K", deviceA, "tx-udp-segmentation", "off");
        b.exec(ethtool, "-K", deviceB, "tx-udp-segmentation", "off");
        return this;
    }

    /**
     * Random loss of UDP datagrams in each direction: {@link #segmentOnTransmit()}, then nftables in the receiving
     * namespace of each direction drops {@code numgen random mod 100 < N} of the datagrams arriving (input hook;
     * {@link Namespace#dropUdp}). Replaces earlier loss rules in both namespaces.
     *
     * @param aToBPercent percentage (0..100) of datagrams from A to B dropped (at B).
     * @param bToAPercent percentage (0..100) of datagrams from B to A dropped (at A).
     * @return this.
     */
    public NetnsLink randomLoss(final int aToBPercent, final int bToAPercent) throws IOException
    {
        segmentOnTransmit();
        b.dropUdp(aToBPercent, 0);
        a.dropUdp(bToAPercent, 0);
        return this;
    }

    /**
     * Sets the MTU of both ends.
     *
     * @param mtu bytes (68..65535).
     * @return this.
     */
    public NetnsLink mtu(final int mtu) throws IOException
    {
        a.exec(ip, "link", "set", "dev", deviceA, "mtu", Integer.toString(mtu));
        b.exec(ip, "link", "set", "dev", deviceB, "mtu", Integer.toString(mtu));
        return this;
    }

    /**
     * Shapes a side's egress with a token bucket: {@code tc qdisc replace dev D root tbf rate R burst B latency L}.
     *
     * @param side    whose sending is limited.
     * @param rate    e.g. {@code 100mbit}.
     * @param burst   e.g. {@code 64kb} (at least rate/HZ plus one MTU).
     * @param latency longest queueing delay, e.g. {@code 20ms} (bounds the queue).
     * @return this.
     */
    public NetnsLink tbf(final Namespace side, final String rate, final String burst, final String latency) throws IOException
    {
        qdisc(side, "root", "tbf", "rate", rate, "burst", burst, "latency", latency);
        return this;
    }

    /**
     * Adds delay, jitter, loss or reordering on a side's egress: {@code tc qdisc replace dev D root netem ARGS}
     * (or, after {@link #tbf}, netem as root with the tbf moved below it). Skips the test (assumption) where the
     * kernel lacks sch_netem.
     *
     * @param side whose sending is affected.
     * @param args netem arguments, e.g. {@code "delay", "20ms", "2ms"}.
     * @return this.
     */
    public NetnsLink netem(final Namespace side, final String... args) throws IOException
    {
        final List<String> arguments = new ArrayList<>(List.of("root", "handle", "1:", "netem"));
        arguments.addAll(Arrays.asList(args));
        qdisc(side, arguments.toArray(new String[0]));
        return this;
    }

    /**
     * Netem as root (handle 1:) with a tbf child (handle 10:): delay and a bottleneck on one side's egress.
     *
     * @param side      whose sending is affected.
     * @param rate      tbf rate.
     * @param burst     tbf burst.
     * @param latency   tbf latency.
     * @param netemArgs netem arguments.
     * @return this.
     */
    public NetnsLink netemWithTbf(
        final Namespace side, final String rate, final String burst, final String latency, final String... netemArgs)
        throws IOException
    {
        netem(side, netemArgs);
        qdisc(side, "parent", "1:1", "handle", "10:", "tbf", "rate", rate, "burst", burst, "latency", latency);
        return this;
    }

    /**
     * Runs {@code tc qdisc replace dev <device of side> ARGS} inside the side's namespace. Skips the test
     * (assumption) when {@code tc} is missing or the kernel does not know the qdisc kind.
     *
     * @param side the namespace whose device is configured.
     * @param args the rest of the tc command after the device, e.g. {@code root tbf rate 1gbit ...}.
     */
    public void qdisc(final Namespace side, final String... args) throws IOException
    {
        final String tc = Namespace.requireTool("tc", "iproute2");
        final List<String> command = new ArrayList<>(side.execPrefix());
        command.addAll(List.of(tc, "qdisc", "replace", "dev", deviceOf(side)));
        command.addAll(Arrays.asList(args));
        final HostCommands.Outcome outcome = HostCommands.run(command, null);
        assumeTrue(!outcome.output.contains("qdisc kind is unknown"),
            () -> "this kernel lacks the qdisc in: " + String.join(" ", args) + " (" + outcome.output.trim() + ")");
        if (!outcome.succeeded())
        {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + outcome.output);
        }
    }

    /** @return {@code tc qdisc show} for both ends (for diagnostics). */
    public String describeQdiscs() throws IOException
    {
        final String tc = Namespace.requireTool("tc", "iproute2");
        return a.exec(tc, "qdisc", "show", "dev", deviceA) + b.exec(tc, "qdisc", "show", "dev", deviceB);
    }

    private NetnsLink checkB(final Namespace side)
    {
        if (side != b)
        {
            throw new IllegalArgumentException(side + " is not an end of this link (" + a + " - " + b + ")");
        }
        return this;
    }

    @Override
    public String toString()
    {
        return a + "/" + deviceA + " " + addressA() + " <-> " + b + "/" + deviceB + " " + addressB();
    }
}
