/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import dev.salvo.crypto.SessionSecrets;

/**
 * Packet protection for one session: a {@link PacketSealer} for the direction this side sends in and a
 * {@link PacketOpener} for the one it receives in, both derived from the handshake's {@link SessionSecrets}.
 */
public final class PacketProtection
{
    private final PacketSealer sealer;
    private final PacketOpener opener;

    private PacketProtection(final PacketSealer sealer, final PacketOpener opener)
    {
        this.sealer = sealer;
        this.opener = opener;
    }

    /**
     * Derives both directions' keys. The secrets object is left intact; the caller may
     * {@link SessionSecrets#destroy() destroy} it afterwards.
     *
     * @param secrets         the handshake's output.
     * @param localSessionId  the session id this side assigned; incoming packets must carry it.
     * @param remoteSessionId the session id the peer assigned; outgoing packets carry it.
     * @param settings        algorithm, implementation, key update limits and clock.
     * @return the session's packet protection.
     */
    public static PacketProtection create(
        final SessionSecrets secrets,
        final int localSessionId,
        final int remoteSessionId,
        final PacketProtectionSettings settings)
    {
        settings.validate();
        final byte[] sendSecret = secrets.sendSecret();
        final byte[] receiveSecret = secrets.receiveSecret();
        try
        {
            return new PacketProtection(
                new PacketSealer(settings, sendSecret, remoteSessionId),
                new PacketOpener(settings, receiveSecret, localSessionId));
        }
        finally
        {
            java.util.Arrays.fill(sendSecret, (byte)0);
            java.util.Arrays.fill(receiveSecret, (byte)0);
        }
    }

    /** @return the sealer for outgoing packets. */
    public PacketSealer sealer()
    {
        return sealer;
    }

    /** @return the opener for incoming packets. */
    public PacketOpener opener()
    {
        return opener;
    }

    /** Wipes all key material. */
    public void destroy()
    {
        sealer.destroy();
        opener.destroy();
    }
}
