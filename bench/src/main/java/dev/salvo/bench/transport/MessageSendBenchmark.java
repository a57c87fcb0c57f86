/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.io.NativeLibrary;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One message through the whole transport per op: the application thread's blocking {@code send}, the
 * sender I/O thread's framing, sealing and batched send, the receiver I/O thread's batched receive, opening,
 * reassembly and delivery, and the acknowledgements back. Two transports on loopback in this JVM, one
 * connection, messages of {@code size} bytes, encrypted and reliable.
 *
 * <p>Run with {@code -prof gc}: JMH 1.37's {@code gc.alloc.rate.norm} counts the bytes allocated by
 * <em>every</em> thread of the JVM (both I/O threads included) divided by ops, so it is the allocation per
 * message of the whole pipeline. The bar: 0 B per message in steady state for messages up to 64 KiB.
 *
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -jar bench/target/salvo-bench.jar \
 *   MessageSendBenchmark -prof gc
 * </pre>
 *
 * Ops per second here are also a throughput figure (messages/s, with back-pressure from the 2 MiB ring), but
 * E1 ({@code scripts/run_transport_benchmarks.sh}) is the throughput record; this suite is for allocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED")
public class MessageSendBenchmark
{
    @Param({"native", "nio"})
    String io;

    @Param({"64", "1024", "16384", "65536"})
    int size;

    private Transport server;
    private Transport client;
    private Connection connection;
    private UnsafeBuffer message;
    private volatile long delivered;

    @Setup(Level.Trial)
    public void setup() throws Exception
    {
        final boolean nativeIo = "native".equals(io);
        if (nativeIo && !NativeLibrary.isAvailable())
        {
            throw new IllegalStateException("native shim unavailable: " + NativeLibrary.description());
        }
        final StaticKeyPair serverKey = StaticKeyPair.generate();
        final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        final ConnectionHandler counter = new ConnectionHandler()
        {
            @Override
            public void onMessage(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
                delivered++; // the receiver I/O thread is the only writer
            }
        };
        server = Transport.open(new TransportConfig(loopback, serverKey).nativeIo(nativeIo)
            .threadName("jmh-receiver-io").acceptHandler(c -> counter));
        client = Transport.open(new TransportConfig(loopback, StaticKeyPair.generate()).nativeIo(nativeIo)
            .threadName("jmh-sender-io"));
        connection = client.connect(server.localAddress(), serverKey.publicKey(), (c, b, o, l) -> { })
            .get(10, TimeUnit.SECONDS);
        message = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        for (int i = 0; i < size; i++)
        {
            message.putByte(i, (byte)i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        final long lost = connection.stats().packetsLost();
        client.close();
        server.close();
        if (delivered == 0)
        {
            throw new IllegalStateException("no message was delivered");
        }
        System.out.println("# delivered " + delivered + " messages, " + lost + " packets lost");
    }

    /** Sends one message, waiting for ring space (back-pressure) when the pipeline is full. */
    @Benchmark
    public long send() throws InterruptedException
    {
        final long id = connection.send(message, 0, size, 10, TimeUnit.SECONDS);
        if (id < 0)
        {
            throw new IllegalStateException("send failed: " + id);
        }
        return id;
    }
}
