/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

import dev.salvo.io.NativeLibrary;
import java.lang.System.Logger.Level;

/**
 * The shim's AEAD entry points ({@code native/salvo_aead.c}) and whether they can be used: the shim must be
 * loaded ({@link NativeLibrary#isShimLoaded()}) and find OpenSSL's libcrypto with {@code dlopen}. Static
 * methods taking primitives only; they return a handle, a count, a result or a negative code. Handles are
 * owned by {@link NativeAeadCipher}, which never passes a freed one.
 */
final class NativeAead
{
    /** The shim found a malformed record in a batch table (a packet outside the buffer, a bad key index). */
    static final int ERR_BAD_DESCRIPTOR = -100_001;
    /** The shim rejected a call argument. */
    static final int ERR_BAD_ARGUMENT = -100_002;
    /** libcrypto could not be loaded. */
    static final int ERR_CRYPTO_UNAVAILABLE = -100_003;
    /** libcrypto reported a failure. */
    static final int ERR_CRYPTO = -100_004;

    private static final System.Logger LOGGER = System.getLogger("dev.salvo.crypto");
    private static final boolean AVAILABLE;
    private static final String DESCRIPTION;

    static
    {
        boolean available = false;
        String description;
        if (!NativeLibrary.isShimLoaded())
        {
            description = "native shim not loaded: " + NativeLibrary.shimDescription();
        }
        else
        {
            try
            {
                final int state = load(System.getProperty(
                    NativeAeadCipher.LIBCRYPTO_PROP_NAME, NativeAeadCipher.LIBCRYPTO_DEFAULT));
                description = description();
                final String mismatch = verifyLayout();
                if (null != mismatch)
                {
                    description = "shim AEAD layout mismatch: " + mismatch;
                }
                else
                {
                    available = 1 == state;
                }
            }
            catch (final UnsatisfiedLinkError ex)
            {
                description = "shim without native AEAD: " + ex.getMessage();
            }
        }
        AVAILABLE = available;
        DESCRIPTION = description;
        LOGGER.log(available ? Level.DEBUG : Level.INFO, "Salvo native AEAD {0}: {1}",
            available ? "in use" : "unavailable, JDK AEAD instead", description);
    }

    private NativeAead()
    {
    }

    static boolean isAvailable()
    {
        return AVAILABLE;
    }

    static String availability()
    {
        return DESCRIPTION;
    }

    private static String verifyLayout()
    {
        final int[] expected = {
            AeadBatchDescriptor.ENTRY_LENGTH,
            AeadBatchDescriptor.PACKET_NUMBER_OFFSET,
            AeadBatchDescriptor.PACKET_OFFSET_OFFSET,
            AeadBatchDescriptor.HEADER_LENGTH_OFFSET,
            AeadBatchDescriptor.LENGTH_OFFSET,
            AeadBatchDescriptor.KEY_INDEX_OFFSET,
            AeadBatchDescriptor.RESULT_OFFSET,
            AeadBatchDescriptor.MAX_ENTRIES,
        };
        for (int key = 0; key < expected.length; key++)
        {
            final int actual = layout(key);
            if (actual != expected[key])
            {
                return "layout key " + key + " is " + actual + ", expected " + expected[key];
            }
        }
        return null;
    }

    /** Loads libcrypto once per process: the given soname, or libcrypto.so.3, .so.1.1, .so when empty. 1 = ok. */
    static native int load(String soname);

    static native String description();

    static native int layout(int key);

    static native long create(int algorithmWireId, byte[] key, byte[] iv);

    static native int rekey(long handle, byte[] key, byte[] iv);

    static native void free(long handle);

    static native int seal(
        long handle, long packetNumber, long dataAddress, int dataCapacity, int offset, int headerLength, int payloadLength);

    static native int open(
        long handle, long packetNumber, long dataAddress, int dataCapacity, int offset, int headerLength,
        int ciphertextLength);

    static native int sealBatch(
        long handle, long dataAddress, int dataCapacity, long tableAddress, int tableCapacity, int count);

    static native int openBatch(
        long handle0, long handle1, long handle2, long dataAddress, int dataCapacity, long tableAddress,
        int tableCapacity, int count);
}
