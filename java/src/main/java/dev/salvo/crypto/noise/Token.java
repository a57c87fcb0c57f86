/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

/**
 * A token of a Noise message pattern (spec §7.1, §9 for {@code psk}).
 */
public enum Token
{
    /** Ephemeral public key. */
    E,
    /** Static public key (encrypted once a key exists). */
    S,
    /** DH(e, re). */
    EE,
    /** DH(initiator e, responder s). */
    ES,
    /** DH(initiator s, responder e). */
    SE,
    /** DH(s, rs). */
    SS,
    /** Pre-shared key mixed with MixKeyAndHash. */
    PSK;

    static Token parse(final String text)
    {
        switch (text)
        {
            case "e":
                return E;
            case "s":
                return S;
            case "ee":
                return EE;
            case "es":
                return ES;
            case "se":
                return SE;
            case "ss":
                return SS;
            case "psk":
                return PSK;
            default:
                throw new IllegalArgumentException("unknown token: " + text);
        }
    }
}
