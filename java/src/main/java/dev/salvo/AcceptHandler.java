/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

/**
 * Decides about inbound connections whose initiator passed the handshake and the
 * {@link TransportConfig#peerAuthorizer(dev.salvo.crypto.handshake.PeerAuthorizer) peer authorizer}.
 * Runs on the I/O thread when the session is confirmed (the initiator's first data packet authenticated);
 * must not block.
 */
@FunctionalInterface
public interface AcceptHandler
{
    /**
     * @param connection the new connection ({@link Connection#remoteStaticKey()} names the peer).
     * @return the handler for its messages and events, or null to refuse it (it closes with
     * {@link CloseReason#REJECTED}).
     */
    ConnectionHandler onAccept(Connection connection);
}
