/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DatagramEndpoint#receive(ReceiveBatch, long)}: returns queued datagrams (one system call for a
 * whole queue on the native path), wakes for a datagram sent while it waits, returns 0 after the timeout,
 * is ended by {@code close()} with {@link ClosedChannelException}, splits GRO trains; and the plain
 * {@link DatagramEndpoint#receive(ReceiveBatch)} still never waits, even with a receive timeout set on the
 * (blocking) native socket.
 */
class WaitingReceiveTest
{
    private static final long LONG_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Duration NO_HANG = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void waitingReceiveReturnsQueuedDatagramsWithTheirSource(final EndpointKind kind) throws Exception
    {
        final int count = 10;
        try (DatagramEndpoint receiver = kind.open(Loopback.ipv4());
            DatagramEndpoint sender = EndpointKind.NIO.open(Loopback.ipv4()))
        {
            final SendBatch batch = new SendBatch(count, count * 100);
            for (int i = 0; i < count; i++)
            {
                Loopback.fill(batch, batch.add(Loopback.addressOf(receiver), 50 + i), 50 + i, i);
            }
            Loopback.sendAll(sender, batch);

            final List<Loopback.Received> received = receiveWaiting(receiver, receiver.newReceiveBatch(16, 100), count);
            for (int i = 0; i < count; i++)
            {
                Loopback.assertPattern(received.get(i).payload, 50 + i, i);
                assertEquals(Loopback.addressOf(sender), received.get(i).source);
            }
            if (receiver instanceof NativeDatagramEndpoint)
            {
                assertTrue(receiver.stats().receiveSyscalls() < count,
                    "queued datagrams are taken together, not one call each: " + receiver.stats());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void waitingReceiveWakesForADatagramSentWhileItWaits(final EndpointKind kind) throws Exception
    {
        try (DatagramEndpoint receiver = kind.open(Loopback.ipv4());
            DatagramEndpoint sender = EndpointKind.NIO.open(Loopback.ipv4()))
        {
            final ReceiveBatch slots = receiver.newReceiveBatch(8, 100);
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final Thread waiter = startWaitingReceive(receiver, slots, outcome);
            awaitBlockedInKernel(waiter, receiver);

            final SendBatch batch = new SendBatch(1, 64);
            Loopback.fill(batch, batch.add(Loopback.addressOf(receiver), 33), 33, 7);
            Loopback.sendAll(sender, batch);

            waiter.join(TimeUnit.NANOSECONDS.toMillis(Loopback.TIMEOUT_NANOS));
            assertFalse(waiter.isAlive(), "the datagram ended the wait");
            assertEquals(1, outcome.get(), "outcome");
            final byte[] payload = new byte[slots.length(0)];
            slots.buffer().getBytes(slots.offset(0), payload);
            Loopback.assertPattern(payload, 33, 7);
            assertEquals(Loopback.addressOf(sender), slots.source(0));
        }
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void waitingReceiveTimesOutReturningZero(final EndpointKind kind) throws Exception
    {
        try (DatagramEndpoint receiver = kind.open(Loopback.ipv4()))
        {
            final ReceiveBatch slots = receiver.newReceiveBatch(4, 100);
            final long timeout = TimeUnit.MILLISECONDS.toNanos(20);
            for (int i = 0; i < 2; i++) // the second call reuses the receive timeout already set
            {
                final long start = System.nanoTime();
                assertEquals(0, receiver.receive(slots, timeout));
                assertTrue(System.nanoTime() - start >= timeout - TimeUnit.MILLISECONDS.toNanos(1),
                    "waited the timeout before giving up");
                assertEquals(0, slots.datagramCount());
            }
            if (receiver instanceof NativeDatagramEndpoint)
            {
                assertEquals(2, receiver.stats().receiveSyscalls(), "one recvmmsg per waiting receive");
            }
            assertThrows(IllegalArgumentException.class, () -> receiver.receive(slots, -1));
        }
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void closeEndsABlockedWaitingReceive(final EndpointKind kind) throws Exception
    {
        final DatagramEndpoint receiver = kind.open(Loopback.ipv4());
        try
        {
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final Thread waiter = startWaitingReceive(receiver, receiver.newReceiveBatch(4, 100), outcome);
            awaitBlockedInKernel(waiter, receiver);

            receiver.close();
            waiter.join(TimeUnit.NANOSECONDS.toMillis(Loopback.TIMEOUT_NANOS));
            assertFalse(waiter.isAlive(), "close ended the wait");
            assertTrue(outcome.get() instanceof ClosedChannelException, "outcome: " + outcome.get());
            assertThrows(ClosedChannelException.class, () -> receiver.receive(receiver.newReceiveBatch(1, 8), 1));
        }
        finally
        {
            receiver.close();
        }
    }

    @Test
    void waitingReceiveSplitsGroTrains() throws Exception
    {
        final int segments = 10;
        final int segmentSize = 1000;
        try (DatagramEndpoint receiver = EndpointKind.GSO_GRO.open(Loopback.ipv4());
            DatagramEndpoint sender = EndpointKind.GSO_GRO.open(Loopback.ipv4()))
        {
            final int total = segments * segmentSize - segmentSize / 2; // short last segment
            final SendBatch batch = new SendBatch(1, total);
            final int offset = batch.addSegmented(Loopback.addressOf(receiver), total, segmentSize);
            for (int i = 0; i < segments; i++)
            {
                Loopback.fill(batch, offset + i * segmentSize, i == segments - 1 ? segmentSize / 2 : segmentSize, i);
            }
            Loopback.sendAll(sender, batch);

            final List<Loopback.Received> received =
                receiveWaiting(receiver, receiver.newReceiveBatch(4, segmentSize), segments);
            for (int i = 0; i < segments; i++)
            {
                Loopback.assertPattern(received.get(i).payload, i == segments - 1 ? segmentSize / 2 : segmentSize, i);
                assertEquals(Loopback.addressOf(sender), received.get(i).source);
            }
            assertTrue(receiver.stats().receiveSyscalls() < segments, "the train arrived coalesced: " + receiver.stats());
        }
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void plainReceiveStillReturnsZeroAtOnceOnAnEmptySocket(final EndpointKind kind) throws Exception
    {
        try (DatagramEndpoint receiver = kind.open(Loopback.ipv4());
            DatagramEndpoint sender = EndpointKind.NIO.open(Loopback.ipv4()))
        {
            final ReceiveBatch slots = receiver.newReceiveBatch(4, 100);
            assertTimeoutPreemptively(NO_HANG, () -> assertEquals(0, receiver.receive(slots)));

            // A waiting receive with a long bound sets SO_RCVTIMEO on the native (blocking) socket; the
            // plain receive and a zero-timeout receive must still not wait at all.
            final SendBatch batch = new SendBatch(1, 64);
            batch.add(Loopback.addressOf(receiver), 8);
            Loopback.sendAll(sender, batch);
            assertEquals(1, receiveWaiting(receiver, slots, 1).size());
            assertTimeoutPreemptively(NO_HANG, () ->
            {
                for (int i = 0; i < 100; i++)
                {
                    assertEquals(0, receiver.receive(slots));
                    assertEquals(0, receiver.receive(slots, 0));
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = EndpointKind.class, names = {"NIO", "MMSG"})
    void receiveCoalescingSleepsOnlyWhileTheReceiverKeepsUp(final EndpointKind kind) throws Exception
    {
        final long window = TimeUnit.MILLISECONDS.toNanos(1);
        final EndpointConfig config = new EndpointConfig(Loopback.ipv4()).receiveCoalescingNanos(window);
        try (DatagramEndpoint receiver = kind == EndpointKind.NIO ?
                NioDatagramEndpoint.open(config) : openNative(config.gsoEnabled(false).groEnabled(false));
            DatagramEndpoint sender = EndpointKind.NIO.open(Loopback.ipv4()))
        {
            final boolean counted = receiver instanceof NativeDatagramEndpoint; // one recvmmsg per call there
            final ReceiveBatch slots = receiver.newReceiveBatch(4, 100);
            final long shortWait = TimeUnit.MILLISECONDS.toNanos(20);

            assertEquals(0, receiver.receive(slots, shortWait));
            assertReceiveCalls(counted, 1, receiver);
            send(sender, receiver, 1);
            assertEquals(1, receiveWaiting(receiver, slots, 1).size());
            assertReceiveCalls(counted, 2, receiver); // after a timeout: no coalescing sleep

            send(sender, receiver, 1);
            final long start = System.nanoTime();
            assertEquals(1, receiver.receive(slots, LONG_WAIT_NANOS));
            assertTrue(System.nanoTime() - start >= window, "slept the coalescing window first");
            assertReceiveCalls(counted, 4, receiver); // the batch was not full: sleep + recvmmsg

            send(sender, receiver, 4);
            assertEquals(4, receiver.receive(slots, LONG_WAIT_NANOS));
            assertReceiveCalls(counted, 6, receiver);
            send(sender, receiver, 1);
            assertEquals(1, receiver.receive(slots, LONG_WAIT_NANOS));
            assertReceiveCalls(counted, 7, receiver); // after a full batch: no sleep, the receiver is behind
        }
        assertThrows(IllegalArgumentException.class, () -> new EndpointConfig(Loopback.ipv4()).receiveCoalescingNanos(-1));
        assertThrows(IllegalArgumentException.class, () -> new EndpointConfig(Loopback.ipv4())
            .receiveCoalescingNanos(EndpointConfig.RECEIVE_COALESCING_NANOS_MAX + 1));
        assertEquals(EndpointConfig.RECEIVE_COALESCING_NANOS_DEFAULT,
            new EndpointConfig(Loopback.ipv4()).receiveCoalescingNanos(), "off unless asked for");
    }

    private static DatagramEndpoint openNative(final EndpointConfig config) throws Exception
    {
        EndpointKind.MMSG.open(Loopback.ipv4()).close(); // skips (assumption) where the shim is unavailable
        return NativeDatagramEndpoint.open(config);
    }

    private static void send(final DatagramEndpoint sender, final DatagramEndpoint receiver, final int count)
        throws Exception
    {
        final SendBatch batch = new SendBatch(count, count * 16);
        for (int i = 0; i < count; i++)
        {
            batch.add(Loopback.addressOf(receiver), 16);
        }
        Loopback.sendAll(sender, batch);
    }

    private static void assertReceiveCalls(final boolean counted, final long expected, final DatagramEndpoint receiver)
    {
        if (counted)
        {
            assertEquals(expected, receiver.stats().receiveSyscalls(), "receive system calls: " + receiver.stats());
        }
    }

    /** Waiting receives until {@code count} datagrams arrived (fails on more, or after the test timeout). */
    private static List<Loopback.Received> receiveWaiting(
        final DatagramEndpoint endpoint, final ReceiveBatch batch, final int count) throws Exception
    {
        final List<Loopback.Received> received = new ArrayList<>();
        final long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS;
        while (received.size() < count)
        {
            assertTrue(System.nanoTime() < deadline, "received " + received.size() + " of " + count + " in time");
            final int n = endpoint.receive(batch, LONG_WAIT_NANOS);
            for (int i = 0; i < n; i++)
            {
                final byte[] payload = new byte[batch.length(i)];
                batch.buffer().getBytes(batch.offset(i), payload);
                received.add(new Loopback.Received(payload, batch.source(i).copy()));
            }
        }
        assertEquals(count, received.size(), "datagram count");
        return received;
    }

    private static Thread startWaitingReceive(
        final DatagramEndpoint endpoint, final ReceiveBatch batch, final AtomicReference<Object> outcome)
    {
        final Thread waiter = new Thread(() ->
        {
            try
            {
                outcome.set(endpoint.receive(batch, LONG_WAIT_NANOS));
            }
            catch (final Throwable ex)
            {
                outcome.set(ex);
            }
        }, "salvo-waitrecv");
        waiter.setDaemon(true);
        waiter.start();
        return waiter;
    }

    /**
     * Waits until the thread sleeps in the kernel, so the test exercises a real wake-up rather than a call
     * that starts after the event. Linux: HotSpot names native threads after Java threads, so the thread
     * is found in {@code /proc/self/task} and its state read from {@code stat} ('S' = interruptible sleep);
 * for the native endpoint it must also be inside {@code recvmmsg} ({@code /proc/.../syscall}).
     * Elsewhere there is no way to tell; the test then checks only the outcome.
     */
    private static void awaitBlockedInKernel(final Thread thread, final DatagramEndpoint endpoint) throws Exception
    {
        final int expectedSyscall = endpoint instanceof NativeDatagramEndpoint ? recvmmsgNumber() : -1;
        final Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks))
        {
            return;
        }
        final long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS;
        while (System.nanoTime() < deadline)
        {
            assertTrue(thread.isAlive(), "the waiting receive returned before anything happened");
            try (var stream = Files.list(tasks))
            {
                for (final Path task : (Iterable<Path>)stream::iterator)
                {
                    final String comm = read(task.resolve("comm"));
                    if (null != comm && thread.getName().equals(comm.trim()))
                    {
                        final String stat = read(task.resolve("stat"));
                        final int close = null == stat ? -1 : stat.lastIndexOf(')');
                        if (close > 0 && close + 2 < stat.length() && 'S' == stat.charAt(close + 2) &&
                            inExpectedSystemCall(task, expectedSyscall))
                        {
                            return;
                        }
                    }
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("thread " + thread.getName() + " never slept in the kernel");
    }

    /** @return the recvmmsg system call number on this CPU, -1 if not known here. */
    private static int recvmmsgNumber()
    {
        switch (System.getProperty("os.arch"))
        {
            case "amd64":
            case "x86_64":
                return 299;
            case "aarch64":
                return 243;
            default:
                return -1;
        }
    }

    /** {@code /proc/.../syscall} starts with the number of the call the task is blocked in. */
    private static boolean inExpectedSystemCall(final Path task, final int expected)
    {
        if (expected < 0)
        {
            return true;
        }
        final String syscall = read(task.resolve("syscall"));
        if (null == syscall)
        {
            return true; // unreadable here (permissions): the state alone must do
        }
        return syscall.startsWith(expected + " ");
    }

    private static String read(final Path file)
    {
        try
        {
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        }
        catch (final Exception ex)
        {
            return null; // the task ended meanwhile
        }
    }
}
