/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.example;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import org.agrona.DirectBuffer;

/**
 * The code of README.md, "Using Salvo" (kept identical; {@code ReadmeExampleTest} runs it).
 */
public final class ReadmeExample
{
    private ReadmeExample()
    {
    }

    /**
     * Two peers on loopback: Bob accepts Alice only, Alice connects and sends, Bob replies.
     *
     * @return what Alice received.
     * @throws Exception on failure.
     */
    public static String run() throws Exception
    {
        // README-BEGIN
        StaticKeyPair alice = StaticKeyPair.generate();   // or StaticKeyPair.load(path)
        StaticKeyPair bob = StaticKeyPair.generate();
        BlockingQueue<String> inbox = new ArrayBlockingQueue<>(16);

        // Handlers run on the transport's I/O thread; the buffer is valid only during the call.
        ConnectionHandler echo = new ConnectionHandler()
        {
            @Override
            public void onMessage(Connection connection, DirectBuffer buffer, int offset, int length)
            {
                String text = buffer.getStringWithoutLengthUtf8(offset, length);
                connection.trySend(("echo: " + text).getBytes(StandardCharsets.UTF_8));
            }
        };
        ConnectionHandler collect = (connection, buffer, offset, length) ->
            inbox.add(buffer.getStringWithoutLengthUtf8(offset, length));

        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        try (Transport bobTransport = Transport.open(new TransportConfig(loopback, bob)
                .allowPeers(alice.publicKey())                // policy: only Alice may connect
                .acceptHandler(connection -> echo));
            Transport aliceTransport = Transport.open(new TransportConfig(loopback, alice)))
        {
            Connection connection = aliceTransport
                .connect(bobTransport.localAddress(), bob.publicKey(), collect)
                .get(10, TimeUnit.SECONDS);

            long messageId = connection.send("hello".getBytes(StandardCharsets.UTF_8), 1, TimeUnit.SECONDS);
            if (messageId < 0)
            {
                throw new IllegalStateException("not sent: " + messageId); // BACK_PRESSURED or CLOSED
            }
            String reply = inbox.poll(10, TimeUnit.SECONDS);   // "echo: hello"
            connection.close();                                  // graceful: delivers what was sent
            return reply;
        }
        // README-END
    }
}
