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
    },

    /**
     * OpenSSL's libcrypto through the JNI shim ({@link NativeAeadCipher}): key expanded once per key, nothing
     * allocated per packet, whole batches in one JNI call. Only where {@link NativeAeadCipher#isAvailable()}.
     */
    NATIVE
    {
        public AeadCipher newCipher(final AeadAlgorithm algorithm)
        {
            return new NativeAeadCipher(algorithm);
        }
    };

    /**
     * System property choosing the implementation: {@code JDK}, {@code BOUNCY_CASTLE}, {@code NATIVE} or
     * {@code AUTO}. Independent of {@code salvo.io.forceNio}, which concerns I/O only.
     */
    public static final String IMPLEMENTATION_PROP_NAME = "salvo.crypto.aead.implementation";

    /**
     * Default for {@link #IMPLEMENTATION_PROP_NAME}: pick by the measured ranking, {@code NATIVE} where the shim and
     * libcrypto load, else {@code JDK}.
     */
    public static final String IMPLEMENTATION_DEFAULT = "AUTO";

    /**
     * @param algorithm the algorithm.
     * @return a new, unkeyed cipher.
     */
    public abstract AeadCipher newCipher(AeadAlgorithm algorithm);

    /**
     * The implementation named by {@link #IMPLEMENTATION_PROP_NAME}, or for {@code AUTO} the fastest one
     * measured for this algorithm on the running JDK among those available here.
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
        return auto(algorithm, jdkFeature, NativeAeadCipher.isAvailable());
    }

    /**
     * The measured choice with the native AEAD's availability explicit (docs/BENCHMARKS.md, "AEAD implementations"):
     * the native AEAD beats the JDK {@code Cipher} for every algorithm on JDK 17 and 25, and allocates nothing.
     *
     * @param algorithm       the algorithm.
     * @param jdkFeature      the JDK feature release, e.g. 17 or 25.
     * @param nativeAvailable whether {@link NativeAeadCipher#isAvailable()}.
     * @return the implementation to use.
     */
    public static AeadImplementation auto(final AeadAlgorithm algorithm, final int jdkFeature, final boolean nativeAvailable)
    {
        return nativeAvailable ? NATIVE : JDK;
    }
}
