/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

/**
 * A Noise operation failed in a way the peer can cause: authentication failure, a malformed or
 * short message, a degenerate Diffie–Hellman result, or a state-machine misuse. Callers that
 * process untrusted input catch exactly this type and count the rejection.
 */
public class NoiseException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never contains key material.
     */
    public NoiseException(final String message)
    {
        super(message, null, false, false);
    }
}
