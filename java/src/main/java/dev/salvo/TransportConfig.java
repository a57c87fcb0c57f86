/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.crypto.handshake.HandshakeSettings;
import dev.salvo.crypto.handshake.PeerAuthorizer;
import dev.salvo.crypto.packet.PacketProtectionSettings;
import dev.salvo.io.EndpointConfig;
import dev.salvo.transport.ConnectionCoreFactory;
import dev.salvo.transport.ConnectionSettings;
import dev.salvo.transport.ReliableConnectionCore;
import dev.salvo.transport.pmtu.InterfaceMtu;
import org.agrona.BitUtil;

/**
 * Settings of a {@link Transport}. Numeric settings are documented property-name/default pairs: a new
 * config reads each from the system property of that name, else the default; setters override per
 * instance. Durations are in nanoseconds.
 */
public final class TransportConfig
{
    /**
     * Largest UDP payload sent (packet header, frames and AEAD tag included): the ceiling path MTU discovery
     * probes up to from {@link #MIN_DATAGRAM_SIZE_PROP_NAME}. {@value #MAX_DATAGRAM_SIZE_AUTO} (auto) takes, per
     * connection, the MTU of the local interface on the route to the peer, capped at a 9000-byte MTU, less the IP
     * and UDP headers (at most 8972 bytes on IPv4, 8952 on IPv6). Set both to one value for a fixed size.
     */
    public static final String MAX_DATAGRAM_SIZE_PROP_NAME = "salvo.transport.maxDatagramSize";
    /** {@link #MAX_DATAGRAM_SIZE_PROP_NAME} value meaning: from the interface MTU of the route to each peer. */
    public static final int MAX_DATAGRAM_SIZE_AUTO = 0;
    /** Default for {@link #MAX_DATAGRAM_SIZE_PROP_NAME}: {@value #MAX_DATAGRAM_SIZE_AUTO}, auto. */
    public static final int MAX_DATAGRAM_SIZE_DEFAULT = MAX_DATAGRAM_SIZE_AUTO;

    /** Longest message a connection sends or accepts; a peer announcing a longer one is closed with an error. */
    public static final String MAX_MESSAGE_LENGTH_PROP_NAME = "salvo.transport.maxMessageLength";
    /** Default for {@link #MAX_MESSAGE_LENGTH_PROP_NAME}: 64 MiB. */
    public static final int MAX_MESSAGE_LENGTH_DEFAULT = 64 * 1024 * 1024;

    /**
     * Most unacknowledged message bytes a connection holds; beyond it the core refuses new messages, the send
     * ring fills and {@code trySend} reports {@link Connection#BACK_PRESSURED} (a single message longer than
     * the limit is taken when nothing else is outstanding, so the bound is max(limit, max message length)).
     * Messages of at most limit/16 bytes also have a reserve of limit/16 of their own, so a large message
     * never holds small ones back until it is acknowledged.
     */
    public static final String SEND_BUFFER_LIMIT_PROP_NAME = "salvo.transport.sendBufferLimit";
    /** Default for {@link #SEND_BUFFER_LIMIT_PROP_NAME}: 16 MiB. */
    public static final long SEND_BUFFER_LIMIT_DEFAULT = 16L * 1024 * 1024;

    /**
     * Connection receive window (flow control): message bytes the peer may send ahead of delivery. Raised to
     * the max message length if smaller (a message is delivered whole). Large messages are admitted within it
     * (MAX_MESSAGE_DATA); the first 64 KiB of every message draw on a MAX_DATA window of a quarter of it (at
     * least 1 MiB), so the receiver never holds more than 1.25 times it.
     */
    public static final String RECEIVE_WINDOW_PROP_NAME = "salvo.transport.receiveWindow";
    /** Default for {@link #RECEIVE_WINDOW_PROP_NAME}: 64 MiB. */
    public static final long RECEIVE_WINDOW_DEFAULT = 64L * 1024 * 1024;

    /**
     * Authenticated packets with frames that break the protocol (undecodable, acknowledging packets never sent,
     * beyond the flow-control window, ...) a connection drops and counts before closing with
     * {@link CloseReason#PROTOCOL_ERROR}. A message longer than the max message length closes at once.
     */
    public static final String MAX_REJECTED_PACKETS_PROP_NAME = "salvo.transport.maxRejectedPackets";
    /** Default for {@link #MAX_REJECTED_PACKETS_PROP_NAME}: 64. */
    public static final int MAX_REJECTED_PACKETS_DEFAULT = 64;

    /**
     * Delivery mode of the messages this transport sends: {@code false} delivers each message as soon as it is
     * whole (a small message never waits behind a large one); {@code true} delivers in send order.
     */
    public static final String ORDERED_PROP_NAME = "salvo.transport.ordered";
    /** Default for {@link #ORDERED_PROP_NAME}: false (unordered). */
    public static final boolean ORDERED_DEFAULT = false;

    /**
     * Bytes of each connection's send ring (a power of two); one record holds at most an eighth of it. A ring
     * is allocated (direct memory) by a connection's first send, so idle connections hold none.
     */
    public static final String SEND_RING_CAPACITY_PROP_NAME = "salvo.transport.sendRingCapacity";
    /**
     * Default for {@link #SEND_RING_CAPACITY_PROP_NAME}: 2 MiB, so messages up to 256 KiB are one record and a
     * sender of 1 MiB messages can queue the next one while the I/O thread sends the last (measured: E1 ran
     * 1.1–1.4 GiB/s, unsteady, with 1 MiB; 1.55 GiB/s with 2 MiB; less with 4–16 MiB, which outgrow the caches).
     */
    public static final int SEND_RING_CAPACITY_DEFAULT = 2 * 1024 * 1024;

    /** Longest a {@link Transport#connect} keeps retrying the handshake before failing the future. */
    public static final String CONNECT_TIMEOUT_NS_PROP_NAME = "salvo.transport.connectTimeoutNs";
    /** Default for {@link #CONNECT_TIMEOUT_NS_PROP_NAME}: 10 s. */
    public static final long CONNECT_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);

    /** First handshake retransmission interval; doubles after each retry up to 8x. */
    public static final String HANDSHAKE_RETRY_NS_PROP_NAME = "salvo.transport.handshakeRetryNs";
    /** Default for {@link #HANDSHAKE_RETRY_NS_PROP_NAME}: 500 ms. */
    public static final long HANDSHAKE_RETRY_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(500);

    /** A connection that hears nothing from its peer for this long closes with {@link CloseReason#IDLE_TIMEOUT}. */
    public static final String IDLE_TIMEOUT_NS_PROP_NAME = "salvo.transport.idleTimeoutNs";
    /** Default for {@link #IDLE_TIMEOUT_NS_PROP_NAME}: 30 s. */
    public static final long IDLE_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(30);

    /** A connection that sent nothing for this long sends a keep-alive (PING). */
    public static final String KEEP_ALIVE_INTERVAL_NS_PROP_NAME = "salvo.transport.keepAliveIntervalNs";
    /** Default for {@link #KEEP_ALIVE_INTERVAL_NS_PROP_NAME}: 10 s. */
    public static final long KEEP_ALIVE_INTERVAL_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);

    /** How long {@link Transport#close()} lets connections close gracefully before aborting them. */
    public static final String CLOSE_TIMEOUT_NS_PROP_NAME = "salvo.transport.closeTimeoutNs";
    /** Default for {@link #CLOSE_TIMEOUT_NS_PROP_NAME}: 2 s. */
    public static final long CLOSE_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(2);

    /** Receive slots per receive system call. */
    public static final String RECEIVE_BATCH_SLOTS_PROP_NAME = "salvo.transport.receiveBatchSlots";
    /** Default for {@link #RECEIVE_BATCH_SLOTS_PROP_NAME}: 64. */
    public static final int RECEIVE_BATCH_SLOTS_DEFAULT = 64;

    /** Datagrams per send batch (one {@code sendmmsg}; GSO trains count each segment). */
    public static final String SEND_BATCH_DATAGRAMS_PROP_NAME = "salvo.transport.sendBatchDatagrams";
    /** Default for {@link #SEND_BATCH_DATAGRAMS_PROP_NAME}: 256. */
    public static final int SEND_BATCH_DATAGRAMS_DEFAULT = 256;

    /**
     * Fairness quantum: each round of the I/O thread's deficit round robin, a backlogged connection may send
     * this many full-size datagrams' worth of bytes before the next connection's turn.
     */
    public static final String CONNECTION_BURST_PROP_NAME = "salvo.transport.connectionBurst";
    /** Default for {@link #CONNECTION_BURST_PROP_NAME}: 64 (one full GSO train per turn). */
    public static final int CONNECTION_BURST_DEFAULT = 64;

    /** Idle strategy of the I/O thread: {@code park} (sleep in the kernel) or {@code spin} (busy-poll). */
    public static final String IDLE_STRATEGY_PROP_NAME = "salvo.transport.idleStrategy";
    /** Default for {@link #IDLE_STRATEGY_PROP_NAME}: {@code park}. */
    public static final String IDLE_STRATEGY_DEFAULT = "park";

    /** Whether to use the native batch I/O shim where it loads ({@code false}: always the NIO fallback). */
    public static final String NATIVE_IO_PROP_NAME = "salvo.transport.nativeIo";
    /** Default for {@link #NATIVE_IO_PROP_NAME}: true. */
    public static final boolean NATIVE_IO_DEFAULT = true;

    /**
     * Congestion controller of each connection: {@code cubic} (RFC 9438 with HyStart++), {@code newreno}
     * (RFC 9002) or {@code background} (LEDBAT++-style, yields to other traffic). A connection can override
     * it at connect time ({@link ConnectOptions#congestionControl}); accepted connections use this value.
     */
    public static final String CONGESTION_CONTROL_PROP_NAME = "salvo.transport.congestionControl";
    /** Default for {@link #CONGESTION_CONTROL_PROP_NAME}: {@code cubic}. */
    public static final String CONGESTION_CONTROL_DEFAULT = "cubic";

    /**
     * Base datagram size of path MTU discovery (RFC 8899 BASE_PLPMTU): every connection starts with it and falls
     * back to it when the path turns into a black hole. A {@link #MAX_DATAGRAM_SIZE_PROP_NAME} below it wins.
     */
    public static final String MIN_DATAGRAM_SIZE_PROP_NAME = "salvo.transport.minDatagramSize";
    /** Default for {@link #MIN_DATAGRAM_SIZE_PROP_NAME}: 1200 bytes (QUIC's floor; safe on every path). */
    public static final int MIN_DATAGRAM_SIZE_DEFAULT = 1200;

    /**
     * After path MTU discovery settled below the maximum, how long until it probes for a larger size again
     * (RFC 8899 PMTU_RAISE_TIMER).
     */
    public static final String PMTU_REPROBE_INTERVAL_NS_PROP_NAME = "salvo.transport.pmtuReprobeIntervalNs";
    /** Default for {@link #PMTU_REPROBE_INTERVAL_NS_PROP_NAME}: 600 s. */
    public static final long PMTU_REPROBE_INTERVAL_NS_DEFAULT = TimeUnit.SECONDS.toNanos(600);

    /**
     * Whether each connection paces its new data ({@code dev.salvo.transport.pacing.Pacer}: a token bucket at
     * 2x cwnd/srtt in slow start, 1.2x after, released in bursts of about 1 ms of that rate; the largest
     * burst is max(10 datagrams, min(cwnd, 2 ms of the rate))) instead of sending a window at line rate.
     * Acknowledgements, probes and close frames are never paced.
     */
    public static final String PACING_PROP_NAME = "salvo.transport.pacing";
    /** Default for {@link #PACING_PROP_NAME}: true. */
    public static final boolean PACING_DEFAULT = true;

    /**
     * Transport-wide cap on the bytes of data packets sent per second, over all connections (0: no cap). A
     * token bucket the I/O thread consults while it fills send batches: connections still share each batch
     * (deficit round robin), nothing is serialised, and a burst is at most max(10 datagrams, 2 ms of the cap).
     * Only packets carrying message data take tokens and wait; acknowledgements and handshakes are never held.
     */
    public static final String RATE_LIMIT_PROP_NAME = "salvo.transport.rateLimitBytesPerSecond";
    /** Default for {@link #RATE_LIMIT_PROP_NAME}: 0 (no cap). */
    public static final long RATE_LIMIT_DEFAULT = 0;

    /**
     * Most flow-control credit a connection keeps outstanding (bytes its peer may send beyond what the I/O
     * thread has read), so that a stalled receiver's socket buffer cannot overflow: {@code 0} derives it from
     * the granted {@code SO_RCVBUF} (a quarter of the reported size, an eighth without GRO, shared among open connections, at least
     * 256 KiB); a negative value means no cap (only the receive window bounds the credit).
     */
    public static final String RECEIVE_CREDIT_LIMIT_PROP_NAME = "salvo.transport.receiveCreditLimit";
    /** Default for {@link #RECEIVE_CREDIT_LIMIT_PROP_NAME}: 0 (derived from the socket receive buffer). */
    public static final long RECEIVE_CREDIT_LIMIT_DEFAULT = 0;

    /** How the I/O thread waits when it has nothing to do. */
    public enum IdleStrategy
    {
        /** Sleep in the kernel (poll on the socket and a wake-up eventfd) until a datagram, a wake-up or a timer. */
        PARK,
        /** Busy-poll the socket and the send rings: lowest latency, one core at 100%. */
        SPIN
    }

    private InetSocketAddress bindAddress;
    private StaticKeyPair identity;
    private EndpointConfig endpointConfig;
    private HandshakeSettings handshakeSettings = new HandshakeSettings();
    private PacketProtectionSettings packetProtectionSettings = new PacketProtectionSettings();
    private PeerAuthorizer peerAuthorizer = PeerAuthorizer.ALLOW_ALL;
    private AcceptHandler acceptHandler;
    private ConnectionCoreFactory coreFactory = ReliableConnectionCore.FACTORY;
    private String threadName;
    private int maxDatagramSize = Integer.getInteger(MAX_DATAGRAM_SIZE_PROP_NAME, MAX_DATAGRAM_SIZE_DEFAULT);
    private int maxMessageLength = Integer.getInteger(MAX_MESSAGE_LENGTH_PROP_NAME, MAX_MESSAGE_LENGTH_DEFAULT);
    private long sendBufferLimit = Long.getLong(SEND_BUFFER_LIMIT_PROP_NAME, SEND_BUFFER_LIMIT_DEFAULT);
    private long receiveWindow = Long.getLong(RECEIVE_WINDOW_PROP_NAME, RECEIVE_WINDOW_DEFAULT);
    private int maxRejectedPackets = Integer.getInteger(MAX_REJECTED_PACKETS_PROP_NAME, MAX_REJECTED_PACKETS_DEFAULT);
    private boolean ordered = null == System.getProperty(ORDERED_PROP_NAME) ?
        ORDERED_DEFAULT : Boolean.getBoolean(ORDERED_PROP_NAME);
    private int sendRingCapacity = Integer.getInteger(SEND_RING_CAPACITY_PROP_NAME, SEND_RING_CAPACITY_DEFAULT);
    private long connectTimeoutNs = Long.getLong(CONNECT_TIMEOUT_NS_PROP_NAME, CONNECT_TIMEOUT_NS_DEFAULT);
    private long handshakeRetryNs = Long.getLong(HANDSHAKE_RETRY_NS_PROP_NAME, HANDSHAKE_RETRY_NS_DEFAULT);
    private long idleTimeoutNs = Long.getLong(IDLE_TIMEOUT_NS_PROP_NAME, IDLE_TIMEOUT_NS_DEFAULT);
    private long keepAliveIntervalNs = Long.getLong(KEEP_ALIVE_INTERVAL_NS_PROP_NAME, KEEP_ALIVE_INTERVAL_NS_DEFAULT);
    private long closeTimeoutNs = Long.getLong(CLOSE_TIMEOUT_NS_PROP_NAME, CLOSE_TIMEOUT_NS_DEFAULT);
    private int receiveBatchSlots = Integer.getInteger(RECEIVE_BATCH_SLOTS_PROP_NAME, RECEIVE_BATCH_SLOTS_DEFAULT);
    private int sendBatchDatagrams = Integer.getInteger(SEND_BATCH_DATAGRAMS_PROP_NAME, SEND_BATCH_DATAGRAMS_DEFAULT);
    private int connectionBurst = Integer.getInteger(CONNECTION_BURST_PROP_NAME, CONNECTION_BURST_DEFAULT);
    private boolean nativeIo = null == System.getProperty(NATIVE_IO_PROP_NAME) ?
        NATIVE_IO_DEFAULT : Boolean.getBoolean(NATIVE_IO_PROP_NAME);
    private IdleStrategy idleStrategy =
        IdleStrategy.valueOf(System.getProperty(IDLE_STRATEGY_PROP_NAME, IDLE_STRATEGY_DEFAULT).toUpperCase());
    private CongestionControlAlgorithm congestionControl = CongestionControlAlgorithm.fromPropertyValue(
        System.getProperty(CONGESTION_CONTROL_PROP_NAME, CONGESTION_CONTROL_DEFAULT));

    private int minDatagramSize = Integer.getInteger(MIN_DATAGRAM_SIZE_PROP_NAME, MIN_DATAGRAM_SIZE_DEFAULT);
    private long pmtuReprobeIntervalNs = Long.getLong(PMTU_REPROBE_INTERVAL_NS_PROP_NAME, PMTU_REPROBE_INTERVAL_NS_DEFAULT);

    private boolean pacing = null == System.getProperty(PACING_PROP_NAME) ?
        PACING_DEFAULT : Boolean.getBoolean(PACING_PROP_NAME);
    private long rateLimitBytesPerSecond = Long.getLong(RATE_LIMIT_PROP_NAME, RATE_LIMIT_DEFAULT);

    private long receiveCreditLimit = Long.getLong(RECEIVE_CREDIT_LIMIT_PROP_NAME, RECEIVE_CREDIT_LIMIT_DEFAULT);

    /**
     * @param bindAddress resolved local address to bind (port 0 for any).
     * @param identity    this peer's static key pair.
     */
    public TransportConfig(final InetSocketAddress bindAddress, final StaticKeyPair identity)
    {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /** @return the local address to bind. */
    public InetSocketAddress bindAddress()
    {
        return bindAddress;
    }

    /** @return this peer's identity. */
    public StaticKeyPair identity()
    {
        return identity;
    }

    /**
     * @param config socket settings (buffer sizes, GSO/GRO); its bind address replaces {@link #bindAddress()}.
     * @return this.
     */
    public TransportConfig endpointConfig(final EndpointConfig config)
    {
        this.endpointConfig = Objects.requireNonNull(config, "config");
        this.bindAddress = config.bindAddress();
        return this;
    }

    /** @return socket settings (defaults from system properties unless set). */
    public EndpointConfig endpointConfig()
    {
        return null != endpointConfig ? endpointConfig : new EndpointConfig(bindAddress);
    }

    /** @param settings handshake thresholds. @return this. */
    public TransportConfig handshakeSettings(final HandshakeSettings settings)
    {
        this.handshakeSettings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** @return handshake thresholds. */
    public HandshakeSettings handshakeSettings()
    {
        return handshakeSettings;
    }

    /** @param settings AEAD and key-update settings. @return this. */
    public TransportConfig packetProtectionSettings(final PacketProtectionSettings settings)
    {
        this.packetProtectionSettings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** @return AEAD and key-update settings. */
    public PacketProtectionSettings packetProtectionSettings()
    {
        return packetProtectionSettings;
    }

    /**
     * Policy hook run during the handshake, after the initiator proved its static key and before this side
     * answers; a refused initiator gets no response at all.
     *
     * @param authorizer the policy.
     * @return this.
     */
    public TransportConfig peerAuthorizer(final PeerAuthorizer authorizer)
    {
        this.peerAuthorizer = Objects.requireNonNull(authorizer, "authorizer");
        return this;
    }

    /**
     * Accepts inbound handshakes only from these static public keys (an allow-list {@link PeerAuthorizer}).
     *
     * @param keys 32-byte static public keys.
     * @return this.
     */
    public TransportConfig allowPeers(final byte[]... keys)
    {
        final List<byte[]> allowed = new ArrayList<>();
        for (final byte[] key : keys)
        {
            if (null == key || StaticKeyPair.KEY_LENGTH != key.length)
            {
                throw new IllegalArgumentException("a static public key is 32 bytes");
            }
            allowed.add(key.clone());
        }
        return peerAuthorizer((candidate) ->
        {
            for (final byte[] key : allowed)
            {
                if (Arrays.equals(key, candidate))
                {
                    return true;
                }
            }
            return false;
        });
    }

    /** @return the handshake policy hook. */
    public PeerAuthorizer peerAuthorizer()
    {
        return peerAuthorizer;
    }

    /**
     * @param handler decides about inbound connections; without one, this transport accepts none
     * (initiators get no handshake response).
     * @return this.
     */
    public TransportConfig acceptHandler(final AcceptHandler handler)
    {
        this.acceptHandler = handler;
        return this;
    }

    /** @return the inbound connection handler, or null if inbound connections are refused. */
    public AcceptHandler acceptHandler()
    {
        return acceptHandler;
    }

    /**
     * @param factory makes each connection's core (framing, reliability, congestion control).
     * @return this.
     */
    public TransportConfig coreFactory(final ConnectionCoreFactory factory)
    {
        this.coreFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /** @return the connection-core factory. */
    public ConnectionCoreFactory coreFactory()
    {
        return coreFactory;
    }

    /** @param name the I/O thread's name, or null for "salvo-io-&lt;port&gt;". @return this. */
    public TransportConfig threadName(final String name)
    {
        this.threadName = name;
        return this;
    }

    /** @return the I/O thread's name, or null for the default. */
    public String threadName()
    {
        return threadName;
    }

    /**
     * @param bytes see {@link #MAX_DATAGRAM_SIZE_PROP_NAME}: 64..65507, or {@link #MAX_DATAGRAM_SIZE_AUTO}.
     * @return this.
     */
    public TransportConfig maxDatagramSize(final int bytes)
    {
        maxDatagramSize = MAX_DATAGRAM_SIZE_AUTO == bytes ? bytes : range(bytes, 64, 65_507, "maxDatagramSize");
        return this;
    }

    /** @return see {@link #MAX_DATAGRAM_SIZE_PROP_NAME}. */
    public int maxDatagramSize()
    {
        return maxDatagramSize;
    }

    /** @param bytes see {@link #MAX_MESSAGE_LENGTH_PROP_NAME}, 0..1 GiB. @return this. */
    public TransportConfig maxMessageLength(final int bytes)
    {
        maxMessageLength = range(bytes, 0, 1 << 30, "maxMessageLength");
        return this;
    }

    /** @return see {@link #MAX_MESSAGE_LENGTH_PROP_NAME}. */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /** @param bytes see {@link #SEND_BUFFER_LIMIT_PROP_NAME}. @return this. */
    public TransportConfig sendBufferLimit(final long bytes)
    {
        sendBufferLimit = positive(bytes, "sendBufferLimit");
        return this;
    }

    /** @return see {@link #SEND_BUFFER_LIMIT_PROP_NAME}. */
    public long sendBufferLimit()
    {
        return sendBufferLimit;
    }

    /** @param bytes see {@link #RECEIVE_WINDOW_PROP_NAME}. @return this. */
    public TransportConfig receiveWindow(final long bytes)
    {
        receiveWindow = positive(bytes, "receiveWindow");
        return this;
    }

    /** @return see {@link #RECEIVE_WINDOW_PROP_NAME}. */
    public long receiveWindow()
    {
        return receiveWindow;
    }

    /** @param packets see {@link #MAX_REJECTED_PACKETS_PROP_NAME}, 0 or more. @return this. */
    public TransportConfig maxRejectedPackets(final int packets)
    {
        maxRejectedPackets = range(packets, 0, Integer.MAX_VALUE, "maxRejectedPackets");
        return this;
    }

    /** @return see {@link #MAX_REJECTED_PACKETS_PROP_NAME}. */
    public int maxRejectedPackets()
    {
        return maxRejectedPackets;
    }

    /** @param ordered see {@link #ORDERED_PROP_NAME}. @return this. */
    public TransportConfig ordered(final boolean ordered)
    {
        this.ordered = ordered;
        return this;
    }

    /** @return see {@link #ORDERED_PROP_NAME}. */
    public boolean ordered()
    {
        return ordered;
    }

    /**
     * @return the settings of one connection's reliable core, from this config (the single source of each
     * value); a new instance per call.
     */
    public ConnectionSettings connectionSettings()
    {
        return new ConnectionSettings()
            .maxMessageLength(maxMessageLength)
            .sendBufferLimit(sendBufferLimit)
            .receiveWindow(receiveWindow)
            .maxDatagramSize(resolvedMaxDatagramSize())
            .idleTimeoutNs(idleTimeoutNs)
            .keepAliveIntervalNs(keepAliveIntervalNs)
            .closeTimeoutNs(closeTimeoutNs)
            .maxRejectedPackets(maxRejectedPackets)
            .ordered(ordered)
            .congestionControl(congestionControl)
            .minDatagramSize(baseDatagramSize())
            .pmtuReprobeIntervalNs(pmtuReprobeIntervalNs)
            .pacing(pacing);
    }

    /** @param bytes see {@link #SEND_RING_CAPACITY_PROP_NAME}: a power of two, 1 KiB..1 GiB. @return this. */
    public TransportConfig sendRingCapacity(final int bytes)
    {
        if (!BitUtil.isPowerOfTwo(bytes) || bytes < 1024 || bytes > (1 << 30))
        {
            throw new IllegalArgumentException("sendRingCapacity must be a power of two in 1 KiB..1 GiB: " + bytes);
        }
        sendRingCapacity = bytes;
        return this;
    }

    /** @return see {@link #SEND_RING_CAPACITY_PROP_NAME}. */
    public int sendRingCapacity()
    {
        return sendRingCapacity;
    }

    /** @param nanos see {@link #CONNECT_TIMEOUT_NS_PROP_NAME}. @return this. */
    public TransportConfig connectTimeoutNs(final long nanos)
    {
        connectTimeoutNs = positive(nanos, "connectTimeoutNs");
        return this;
    }

    /** @return see {@link #CONNECT_TIMEOUT_NS_PROP_NAME}. */
    public long connectTimeoutNs()
    {
        return connectTimeoutNs;
    }

    /** @param nanos see {@link #HANDSHAKE_RETRY_NS_PROP_NAME}. @return this. */
    public TransportConfig handshakeRetryNs(final long nanos)
    {
        handshakeRetryNs = positive(nanos, "handshakeRetryNs");
        return this;
    }

    /** @return see {@link #HANDSHAKE_RETRY_NS_PROP_NAME}. */
    public long handshakeRetryNs()
    {
        return handshakeRetryNs;
    }

    /** @param nanos see {@link #IDLE_TIMEOUT_NS_PROP_NAME}. @return this. */
    public TransportConfig idleTimeoutNs(final long nanos)
    {
        idleTimeoutNs = positive(nanos, "idleTimeoutNs");
        return this;
    }

    /** @return see {@link #IDLE_TIMEOUT_NS_PROP_NAME}. */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /** @param nanos see {@link #KEEP_ALIVE_INTERVAL_NS_PROP_NAME}. @return this. */
    public TransportConfig keepAliveIntervalNs(final long nanos)
    {
        keepAliveIntervalNs = positive(nanos, "keepAliveIntervalNs");
        return this;
    }

    /** @return see {@link #KEEP_ALIVE_INTERVAL_NS_PROP_NAME}. */
    public long keepAliveIntervalNs()
    {
        return keepAliveIntervalNs;
    }

    /** @param nanos see {@link #CLOSE_TIMEOUT_NS_PROP_NAME}. @return this. */
    public TransportConfig closeTimeoutNs(final long nanos)
    {
        closeTimeoutNs = positive(nanos, "closeTimeoutNs");
        return this;
    }

    /** @return see {@link #CLOSE_TIMEOUT_NS_PROP_NAME}. */
    public long closeTimeoutNs()
    {
        return closeTimeoutNs;
    }

    /** @param slots see {@link #RECEIVE_BATCH_SLOTS_PROP_NAME}, 1..1024. @return this. */
    public TransportConfig receiveBatchSlots(final int slots)
    {
        receiveBatchSlots = range(slots, 1, 1024, "receiveBatchSlots");
        return this;
    }

    /** @return see {@link #RECEIVE_BATCH_SLOTS_PROP_NAME}. */
    public int receiveBatchSlots()
    {
        return receiveBatchSlots;
    }

    /** @param datagrams see {@link #SEND_BATCH_DATAGRAMS_PROP_NAME}, 1..1024. @return this. */
    public TransportConfig sendBatchDatagrams(final int datagrams)
    {
        sendBatchDatagrams = range(datagrams, 1, 1024, "sendBatchDatagrams");
        return this;
    }

    /** @return see {@link #SEND_BATCH_DATAGRAMS_PROP_NAME}. */
    public int sendBatchDatagrams()
    {
        return sendBatchDatagrams;
    }

    /** @param packets see {@link #CONNECTION_BURST_PROP_NAME}, 1..1024. @return this. */
    public TransportConfig connectionBurst(final int packets)
    {
        connectionBurst = range(packets, 1, 1024, "connectionBurst");
        return this;
    }

    /** @return see {@link #CONNECTION_BURST_PROP_NAME}. */
    public int connectionBurst()
    {
        return connectionBurst;
    }

    /** @param strategy see {@link #IDLE_STRATEGY_PROP_NAME}. @return this. */
    public TransportConfig idleStrategy(final IdleStrategy strategy)
    {
        idleStrategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /** @return see {@link #IDLE_STRATEGY_PROP_NAME}. */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /** @param enabled see {@link #NATIVE_IO_PROP_NAME}. @return this. */
    public TransportConfig nativeIo(final boolean enabled)
    {
        nativeIo = enabled;
        return this;
    }

    /** @return see {@link #NATIVE_IO_PROP_NAME}. */
    public boolean nativeIo()
    {
        return nativeIo;
    }

    /** @param algorithm see {@link #CONGESTION_CONTROL_PROP_NAME}. @return this. */
    public TransportConfig congestionControl(final CongestionControlAlgorithm algorithm)
    {
        congestionControl = Objects.requireNonNull(algorithm, "algorithm");
        return this;
    }

    /** @return see {@link #CONGESTION_CONTROL_PROP_NAME}. */
    public CongestionControlAlgorithm congestionControl()
    {
        return congestionControl;
    }

    /** @param bytes see {@link #MIN_DATAGRAM_SIZE_PROP_NAME}, 64..65507. @return this. */
    public TransportConfig minDatagramSize(final int bytes)
    {
        minDatagramSize = range(bytes, 64, 65_507, "minDatagramSize");
        return this;
    }

    /** @return see {@link #MIN_DATAGRAM_SIZE_PROP_NAME}. */
    public int minDatagramSize()
    {
        return minDatagramSize;
    }

    /**
     * @return the largest datagram any connection may send: {@link #maxDatagramSize()}, or for auto the largest the
     * MTU cap allows ({@link InterfaceMtu#MAX_DATAGRAM_SIZE}); the I/O thread sizes its buffers by it.
     */
    public int resolvedMaxDatagramSize()
    {
        return MAX_DATAGRAM_SIZE_AUTO == maxDatagramSize ?
            Math.max(InterfaceMtu.MAX_DATAGRAM_SIZE, minDatagramSize) : maxDatagramSize;
    }

    /** @return the datagram size every connection starts with: min({@link #minDatagramSize()}, the maximum). */
    public int baseDatagramSize()
    {
        return Math.min(minDatagramSize, resolvedMaxDatagramSize());
    }

    /** @param nanos see {@link #PMTU_REPROBE_INTERVAL_NS_PROP_NAME}. @return this. */
    public TransportConfig pmtuReprobeIntervalNs(final long nanos)
    {
        pmtuReprobeIntervalNs = positive(nanos, "pmtuReprobeIntervalNs");
        return this;
    }

    /** @return see {@link #PMTU_REPROBE_INTERVAL_NS_PROP_NAME}. */
    public long pmtuReprobeIntervalNs()
    {
        return pmtuReprobeIntervalNs;
    }

    /** @param enabled see {@link #PACING_PROP_NAME}. @return this. */
    public TransportConfig pacing(final boolean enabled)
    {
        pacing = enabled;
        return this;
    }

    /** @return see {@link #PACING_PROP_NAME}. */
    public boolean pacing()
    {
        return pacing;
    }

    /** @param bytesPerSecond see {@link #RATE_LIMIT_PROP_NAME}; 0 for no cap. @return this. */
    public TransportConfig rateLimitBytesPerSecond(final long bytesPerSecond)
    {
        if (bytesPerSecond < 0)
        {
            throw new IllegalArgumentException("rateLimitBytesPerSecond must be >= 0: " + bytesPerSecond);
        }
        rateLimitBytesPerSecond = bytesPerSecond;
        return this;
    }

    /** @return see {@link #RATE_LIMIT_PROP_NAME} (0: no cap). */
    public long rateLimitBytesPerSecond()
    {
        return rateLimitBytesPerSecond;
    }

    /** @param bytes see {@link #RECEIVE_CREDIT_LIMIT_PROP_NAME}. @return this. */
    public TransportConfig receiveCreditLimit(final long bytes)
    {
        receiveCreditLimit = bytes;
        return this;
    }

    /** @return see {@link #RECEIVE_CREDIT_LIMIT_PROP_NAME}. */
    public long receiveCreditLimit()
    {
        return receiveCreditLimit;
    }

    private static int range(final int value, final int min, final int max, final String name)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
        }
        return value;
    }

    private static long positive(final long value, final String name)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be > 0: " + value);
        }
        return value;
    }
}
