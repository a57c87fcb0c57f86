/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Test fixture: network namespaces joined by veth pairs, made for one test and always removed.
 *
 * <pre>{@code
 * try (NetworkNamespaces net = NetworkNamespaces.create())      // skips the test without root or ip
 * {
 *     Namespace sender = net.namespace();
 *     Namespace receiver = net.namespace();
 *     NetnsLink link = net.link(sender, receiver);               // 10.201.0.1 <-> 10.201.0.2
 *     link.randomLoss(5, 5);                                     // nft random drop per datagram, both ways
 *     link.tbf(sender, "100mbit", "64kb", "20ms");                // optional bottleneck
 *     ChildProcess rx = net.startJvm(receiver, ReceiverMain.class, List.of(), link.addressB(), "7000");
 *     rx.awaitLine("READY", 30_000);
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Isolation.</b> Every address lives in {@code 10.201.<k>.0/30} and exists only inside the namespaces this
 * fixture created; nothing is configured in the host's namespace, so test traffic cannot leave them.
 *
 * <p><b>Cleanup.</b> {@link #close()} kills the child processes and deletes the namespaces (and with them the veth
 * pairs, qdiscs and nft rules). A JVM shutdown hook does the same for fixtures still open when the JVM exits.
 * Namespaces left by a crashed run are deleted by the next {@link #create()}: names are
 * {@code salvo-<pid>-<n>}, and each namespace's creator holds a lock on
 * {@code /run/salvo-netns/<name>.lock} while it lives, so a namespace whose lock is free (or whose lock file is
 * gone and whose pid is dead) is stale.
 *
 * <p><b>Skips.</b> {@link #create()} skips the test (JUnit assumption) with a reason when not on Linux as root,
 * when {@code ip} is missing, or when namespaces cannot be made (e.g. an unprivileged container);
 * {@link Namespace#dropUdp} skips without {@code nft} ({@link NetnsLink#randomLoss} also without {@code ethtool}),
 * {@link NetnsLink#tbf}/{@link NetnsLink#netem} without {@code tc} or the qdisc in the kernel (this CI kernel has
 * tbf and htb but no netem).
 */
public final class NetworkNamespaces implements AutoCloseable
{
    /** Prefix of every namespace name this fixture makes. */
    public static final String NAME_PREFIX = "salvo-";

    /** Where creators keep a lock per live namespace. */
    public static final Path LOCK_DIRECTORY = Path.of("/run/salvo-netns");

    /** Longest a child JVM may take to start and print its first line (2 cores, several JVMs at once). */
    public static final long CHILD_START_TIMEOUT_MS = 60_000;

    private static final Pattern OWN_NAME = Pattern.compile("salvo-(\\d+)-(\\d+)");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<NetworkNamespaces> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger HOOKS = new AtomicInteger();

    private final String ip;
    private final List<Namespace> namespaces = new ArrayList<>();
    private final List<FileChannel> locks = new ArrayList<>();
    private final List<NetnsLink> links = new ArrayList<>();
    private final List<ChildProcess> children = new ArrayList<>();
    private boolean closed;

    private NetworkNamespaces(final String ip)
    {
        this.ip = ip;
    }

    /**
     * Checks the prerequisites (skipping the test with a reason if they are missing), removes stale namespaces
     * of earlier crashed runs, and returns an empty fixture.
     *
     * @return the fixture; close it (try-with-resources).
     */
    public static NetworkNamespaces create() throws IOException
    {
        assumeTrue(System.getProperty("os.name", "").toLowerCase().contains("linux"), "network namespaces need Linux");
        assumeTrue(HostCommands.isRoot(), "network namespaces need root (CI runs as root)");
        final String ip = Namespace.requireTool("ip", "iproute2");
        if (0 == HOOKS.getAndIncrement())
        {
            Runtime.getRuntime().addShutdownHook(new Thread(NetworkNamespaces::closeAllOpen, "salvo-netns-cleanup"));
        }
        removeStale(ip);
        return new NetworkNamespaces(ip);
    }

    /**
     * Makes a namespace named {@code salvo-<pid>-<n>} with its loopback up.
     *
     * @return the namespace.
     */
    public synchronized Namespace namespace() throws IOException
    {
        checkOpen();
        final String name = NAME_PREFIX + ProcessHandle.current().pid() + "-" + SEQUENCE.getAndIncrement();
        locks.add(lock(name));
        final HostCommands.Outcome added = HostCommands.run(List.of(ip, "netns", "add", name), null);
        assumeTrue(added.succeeded(), () -> "cannot create a network namespace here: " + added.output.trim());
        final Namespace namespace = new Namespace(name, ip);
        namespaces.add(namespace);
        namespace.exec(ip, "link", "set", "lo", "up");
        return namespace;
    }

    /**
     * Joins two namespaces with a veth pair, addresses {@code 10.201.<k>.1/30} (a) and {@code .2/30} (b), both up;
     * k counts this fixture's links from 0.
     *
     * @param a side A.
     * @param b side B.
     * @return the link.
     */
    public synchronized NetnsLink link(final Namespace a, final Namespace b) throws IOException
    {
        checkOpen();
        if (!namespaces.contains(a) || !namespaces.contains(b) || a == b)
        {
            throw new IllegalArgumentException("link two different namespaces of this fixture: " + a + ", " + b);
        }
        final int index = links.size();
        if (index > 255)
        {
            throw new IllegalStateException("at most 256 links per fixture");
        }
        // Interface names are at most 15 bytes; they live only inside the namespaces, made unique anyway.
        final String tag = Long.toString(ProcessHandle.current().pid(), 36) + "x" + Integer.toString(SEQUENCE.getAndIncrement(), 36);
        final String deviceA = "sa" + tag;
        final String deviceB = "sb" + tag;
        final HostCommands.Outcome added = HostCommands.run(List.of(
            ip, "link", "add", deviceA, "netns", a.name(), "type", "veth", "peer", "name", deviceB, "netns", b.name()), null);
        assumeTrue(added.succeeded(), () -> "cannot create a veth pair here: " + added.output.trim());
        final NetnsLink link = new NetnsLink(a, b, deviceA, deviceB, index, ip);
        links.add(link);
        a.exec(ip, "addr", "add", link.addressA() + "/30", "dev", deviceA);
        b.exec(ip, "addr", "add", link.addressB() + "/30", "dev", deviceB);
        a.exec(ip, "link", "set", deviceA, "up");
        b.exec(ip, "link", "set", deviceB, "up");
        return link;
    }

    /**
     * Starts a JVM inside a namespace: this JVM's {@code java}, the test class path, {@link ChildProcess#DEFAULT_JVM_OPTIONS}
     * plus the given options, the main class and its arguments. It is killed by {@link #close()}.
     *
     * @param namespace where it runs.
     * @param main      the main class.
     * @param jvmArgs   extra JVM options.
     * @param args      program arguments.
     * @return the running child.
     */
    public synchronized ChildProcess startJvm(
        final Namespace namespace, final Class<?> main, final List<String> jvmArgs, final String... args) throws IOException
    {
        checkOpen();
        final ChildProcess child = ChildProcess.start(
            ChildProcess.javaCommand(namespace.execPrefix(), jvmArgs, main, args), main.getSimpleName());
        children.add(child);
        return child;
    }

    /** @return the names of the namespaces made so far. */
    public synchronized List<String> names()
    {
        final List<String> names = new ArrayList<>();
        for (final Namespace namespace : namespaces)
        {
            names.add(namespace.name());
        }
        return names;
    }

    /** Kills the children, deletes the namespaces (veths, qdiscs and rules go with them). Idempotent. */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        OPEN.remove(this);
        for (final ChildProcess child : children)
        {
            try
            {
                child.close();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        for (final Namespace namespace : namespaces)
        {
            delete(ip, namespace.name());
        }
        for (final FileChannel lock : locks)
        {
            try
            {
                lock.close();
            }
            catch (final IOException ignore)
            {
                // released with the process anyway
            }
        }
        for (final Namespace namespace : namespaces)
        {
            try
            {
                Files.deleteIfExists(lockFile(namespace.name()));
            }
            catch (final IOException ignore)
            {
                // a leftover lock file without its namespace is harmless
            }
        }
    }

    /**
     * Deletes namespaces named {@code salvo-<pid>-<n>} whose creator is gone (see the class comment).
     *
     * @param ip path of the ip tool.
     * @return the names deleted.
     */
    static List<String> removeStale(final String ip) throws IOException
    {
        final List<String> removed = new ArrayList<>();
        final HostCommands.Outcome listed = HostCommands.run(List.of(ip, "netns", "list"), null);
        if (!listed.succeeded())
        {
            return removed;
        }
        final long ownPid = ProcessHandle.current().pid();
        for (final String line : listed.output.split("\n"))
        {
            final String name = line.trim().split("\\s+")[0];
            final Matcher matcher = OWN_NAME.matcher(name);
            if (!matcher.matches() || Long.parseLong(matcher.group(1)) == ownPid)
            {
                continue;
            }
            if (isStale(name, Long.parseLong(matcher.group(1))))
            {
                delete(ip, name);
                Files.deleteIfExists(lockFile(name));
                removed.add(name);
            }
        }
        return removed;
    }

    private static boolean isStale(final String name, final long pid) throws IOException
    {
        final Path lockFile = lockFile(name);
        if (!Files.exists(lockFile))
        {
            return ProcessHandle.of(pid).isEmpty();
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE))
        {
            final FileLock lock = channel.tryLock();
            if (null == lock)
            {
                return false;
            }
            lock.release();
            return true;
        }
        catch (final OverlappingFileLockException ex)
        {
            return false;
        }
    }

    private static FileChannel lock(final String name) throws IOException
    {
        Files.createDirectories(LOCK_DIRECTORY);
        final FileChannel channel = FileChannel.open(
            lockFile(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (null == channel.tryLock())
        {
            channel.close();
            throw new IllegalStateException("lock of a new namespace name is held elsewhere: " + name);
        }
        return channel;
    }

    private static Path lockFile(final String name)
    {
        return LOCK_DIRECTORY.resolve(name + ".lock");
    }

    private static void delete(final String ip, final String name)
    {
        try
        {
            HostCommands.run(List.of(ip, "netns", "del", name), null);
        }
        catch (final IOException ignore)
        {
            // reported by the next removeStale, which retries
        }
    }

    private static void closeAllOpen()
    {
        for (final NetworkNamespaces fixture : OPEN)
        {
            fixture.close();
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("closed");
        }
        OPEN.add(this);
    }
}
