/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

/**
 * Which library performs the AEAD. The choice is a strategy so it can follow the benchmarks per JDK
 * (docs/BENCHMARKS.md, "AEAD implementations").
 */
public enum AeadImplementation implements AeadCipherFactory
{
    /** {@code javax.crypto.Cipher}: JDK intrinsics (AES-NI, VAES/AVX-512 GHASH on newer JDKs). */
    JDK
    {
        public AeadCipher newCipher(final AeadAlgorithm algorithm)
        {
            return new JdkAeadCipher(algorithm);
        }
    },

    /** BouncyCastle lightweight API: pure Java with bcprov-jdk18on, native AES-GCM with bcprov-lts8on. */
    BOUNCY_CASTLE
    {
        public AeadCipher newCipher(final AeadAlgorithm algorithm)
        {
            return new BcAeadCipher(algorithm);
        }
    };

    /** System property choosing the implementation: {@code JDK}, {@code BOUNCY_CASTLE} or {@code AUTO}. */
    public static final String IMPLEMENTATION_PROP_NAME = "salvo.crypto.aead.implementation";

    /** Default for {@link #IMPLEMENTATION_PROP_NAME}: pick by the measured ranking for the running JDK. */
    public static final String IMPLEMENTATION_DEFAULT = "AUTO";

    /**
     * @param algorithm the algorithm.
     * @return a new, unkeyed cipher.
     */
    public abstract AeadCipher newCipher(AeadAlgorithm algorithm);

    /**
     * The implementation named by {@link #IMPLEMENTATION_PROP_NAME}, or for {@code AUTO} the fastest one
     * measured for this algorithm on the running JDK.
     *
     * @param algorithm the algorithm that will be used.
     * @return the implementation to use.
     */
    public static AeadImplementation configured(final AeadAlgorithm algorithm)
    {
        final String value = System.getProperty(IMPLEMENTATION_PROP_NAME, IMPLEMENTATION_DEFAULT);
        if ("AUTO".equalsIgnoreCase(value))
        {
            return auto(algorithm, Runtime.version().feature());
        }
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * The measured choice (docs/BENCHMARKS.md, "AEAD implementations").
     *
     * @param algorithm  the algorithm.
     * @param jdkFeature the JDK feature release, e.g. 17 or 25.
     * @return the implementation to use.
     */
    public static AeadImplementation auto(final AeadAlgorithm algorithm, final int jdkFeature)
    {
        return JDK;
    }
}
