/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.io;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.salvo.io.DatagramEndpoint;
import dev.salvo.io.EndpointConfig;
import dev.salvo.io.NativeDatagramEndpoint;
import dev.salvo.io.NativeLibrary;
import dev.salvo.io.NioDatagramEndpoint;
import dev.salvo.io.PeerAddress;
import dev.salvo.io.ReceiveBatch;
import dev.salvo.io.SendBatch;

/**
 * Send and receive paths of the I/O layer, per datagram. Run with {@code -prof gc}: the native
 * modes must show {@code gc.alloc.rate.norm} ≈ 0 B/op (one op = one datagram) in steady state.
 *
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -jar bench/target/salvo-bench.jar \
 *   DatagramIoBenchmark -prof gc
 * </pre>
 *
 * {@code send}: fills a batch of {@code batch} datagrams in place and sends it (the receiver
 * socket is drained between iterations; the kernel drops what overflows, which does not affect
 * the send path). {@code sendAndReceive}: sends a batch, then receives until the same number of
 * datagrams came back, in one thread (so nothing is lost and both paths are measured).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED")
public class DatagramIoBenchmark
{
    /** Datagrams per batch; the @OperationsPerInvocation values below must match. */
    public static final int BATCH = 64;

    @Param({"nio", "mmsg", "gso"})
    String mode;

    @Param({"1400"})
    int size;

    private DatagramEndpoint sender;
    private DatagramEndpoint receiver;
    private SendBatch sendBatch;
    private ReceiveBatch receiveBatch;
    private PeerAddress destination;

    @Setup
    public void setup() throws IOException
    {
        if (!"nio".equals(mode) && !NativeLibrary.isAvailable())
        {
            throw new IllegalStateException("native shim unavailable: " + NativeLibrary.description());
        }
        sender = open();
        receiver = open();
        destination = PeerAddress.of(receiver.localAddress());
        sendBatch = new SendBatch(BATCH, BATCH * size);
        receiveBatch = receiver.newReceiveBatch(BATCH, size);
    }

    private DatagramEndpoint open() throws IOException
    {
        final EndpointConfig config = new EndpointConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        switch (mode)
        {
            case "nio": return NioDatagramEndpoint.open(config);
            case "mmsg": return NativeDatagramEndpoint.open(config.gsoEnabled(false).groEnabled(false));
            default: return NativeDatagramEndpoint.open(config);
        }
    }

    @Setup(Level.Iteration)
    public void drain() throws IOException
    {
        while (receiver.receive(receiveBatch) > 0)
        {
            // empty the socket so every iteration starts alike
        }
    }

    @TearDown
    public void tearDown()
    {
        sender.close();
        receiver.close();
    }

    private void fillAndSend() throws IOException
    {
        final SendBatch batch = sendBatch;
        batch.clear();
        final boolean gso = "gso".equals(mode);
        for (int i = 0; i < BATCH; i++)
        {
            final int offset = gso ? batch.addCoalescing(destination, size) : batch.add(destination, size);
            batch.buffer().putInt(offset, i);
        }
        while (!batch.isFullySent())
        {
            sender.send(batch);
        }
    }

    /**
     * Send path.
     *
     * @return datagrams sent so far (consumed so nothing is eliminated).
     * @throws IOException on a socket error.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long send() throws IOException
    {
        fillAndSend();
        // Keep the receive queue from growing without bound: one non-blocking receive per batch.
        receiver.receive(receiveBatch);
        return sender.stats().datagramsSent();
    }

    /**
     * Send and receive paths, loss-free.
     *
     * @return bytes received in this invocation.
     * @throws IOException on a socket error.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long sendAndReceive() throws IOException
    {
        fillAndSend();
        long bytes = 0;
        int received = 0;
        while (received < BATCH)
        {
            final int n = receiver.receive(receiveBatch);
            if (0 == n)
            {
                receiver.awaitReadable(1_000_000L);
                continue;
            }
            for (int i = 0; i < n; i++)
            {
                bytes += receiveBatch.length(i);
            }
            received += n;
        }
        return bytes;
    }
}
