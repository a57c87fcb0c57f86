/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

/**
 * A parsed Noise protocol name, {@code Noise_<pattern>_<dh>_<cipher>_<hash>}, with the functions
 * it names. Supports DH {@code 25519}, cipher {@code AESGCM} and hash {@code SHA256}; the DH
 * function can be replaced (e.g. by an instrumented one in tests) with {@link #withDh(DhFunction)}.
 * Immutable; cipher and hash instances are created fresh for each handshake.
 */
public final class NoiseProtocol
{
    private final String name;
    private final HandshakePattern pattern;
    private final DhFunction dh;

    private NoiseProtocol(final String name, final HandshakePattern pattern, final DhFunction dh)
    {
        this.name = name;
        this.pattern = pattern;
        this.dh = dh;
    }

    /**
     * @param protocolName e.g. {@code "Noise_IK_25519_AESGCM_SHA256"}.
     * @return the protocol.
     * @throws IllegalArgumentException if the name is malformed or names an unsupported function.
     */
    public static NoiseProtocol parse(final String protocolName)
    {
        final String[] parts = protocolName.split("_");
        if (5 != parts.length || !"Noise".equals(parts[0]))
        {
            throw new IllegalArgumentException("not a Noise protocol name: " + protocolName);
        }
        if (!"25519".equals(parts[2]))
        {
            throw new IllegalArgumentException("unsupported DH function: " + parts[2]);
        }
        if (!"AESGCM".equals(parts[3]))
        {
            throw new IllegalArgumentException("unsupported cipher function: " + parts[3]);
        }
        if (!"SHA256".equals(parts[4]))
        {
            throw new IllegalArgumentException("unsupported hash function: " + parts[4]);
        }
        return new NoiseProtocol(protocolName, HandshakePatterns.lookup(parts[1]), Curve25519DhFunction.INSTANCE);
    }

    /**
     * @param dhFunction a DH function with the same name and behaviour (e.g. a counting wrapper).
     * @return a copy of this protocol using {@code dhFunction}.
     */
    public NoiseProtocol withDh(final DhFunction dhFunction)
    {
        if (!dh.name().equals(dhFunction.name()) || dh.dhLength() != dhFunction.dhLength())
        {
            throw new IllegalArgumentException("DH function must be " + dh.name());
        }
        return new NoiseProtocol(name, pattern, dhFunction);
    }

    /** @return the full protocol name. */
    public String name()
    {
        return name;
    }

    /** @return the handshake pattern with modifiers applied. */
    public HandshakePattern pattern()
    {
        return pattern;
    }

    /** @return the DH function. */
    public DhFunction dh()
    {
        return dh;
    }

    /** @return a new cipher function instance. */
    public CipherFunction newCipher()
    {
        return new AesGcmCipherFunction();
    }

    /** @return a new hash function instance. */
    public HashFunction newHash()
    {
        return new Sha256HashFunction();
    }

    @Override
    public String toString()
    {
        return name;
    }
}
