/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import org.agrona.BufferUtil;

/**
 * {@link AeadCipher} on OpenSSL's libcrypto through the JNI shim ({@code native/salvo_aead.c}): one
 * {@code EVP_CIPHER_CTX} per key, keyed once per {@link #init(byte[], byte[])}; a packet installs only a new
 * nonce, so sealing and opening allocate nothing. {@link #sealBatch} and {@link #openBatch} process a whole
 * {@link AeadBatch} in one JNI call.
 *
 * <p><b>Ownership.</b> An instance and its native context belong to one thread at a time (the session's I/O
 * thread), like every {@link AeadCipher}. The context is freed by {@link #destroy()} (or, if the instance is
 * dropped without it, by a {@link Cleaner}); the Java side zeroes its handle before freeing and checks it
 * before every native call, so a freed context is never passed to the shim. Heap buffers are copied through a
 * reused direct scratch buffer; direct buffers are processed in place.
 */
public final class NativeAeadCipher implements AeadCipher
{
    /**
     * The libcrypto to {@code dlopen}: a soname or path. Empty (the default) tries {@code libcrypto.so.3},
     * {@code libcrypto.so.1.1} and {@code libcrypto.so}. Read once, when the native AEAD is first used.
     */
    public static final String LIBCRYPTO_PROP_NAME = "salvo.crypto.aead.libcrypto";

    /** Default for {@link #LIBCRYPTO_PROP_NAME}: the usual sonames, newest first. */
    public static final String LIBCRYPTO_DEFAULT = "";

    private static final Cleaner CLEANER = Cleaner.create();

    private final AeadAlgorithm algorithm;
    private final NativeContext context = new NativeContext();
    private Cleaner.Cleanable cleanable;
    private ByteBuffer scratch;
    private long scratchAddress;

    /**
     * @param algorithm the algorithm to implement.
     * @throws IllegalStateException if the native AEAD is unavailable ({@link #isAvailable()}).
     */
    public NativeAeadCipher(final AeadAlgorithm algorithm)
    {
        if (!NativeAead.isAvailable())
        {
            throw new IllegalStateException("native AEAD unavailable: " + NativeAead.availability());
        }
        this.algorithm = algorithm;
    }

    /**
     * Whether the shim is loaded and found libcrypto with every function it needs.
     *
     * @return true when {@link AeadImplementation#NATIVE} can be used.
     */
    public static boolean isAvailable()
    {
        return NativeAead.isAvailable();
    }

    /**
     * The libcrypto in use (version and soname), or why the native AEAD is unavailable.
     *
     * @return a human-readable description.
     */
    public static String description()
    {
        return NativeAead.availability();
    }

    /** {@inheritDoc} */
    public AeadAlgorithm algorithm()
    {
        return algorithm;
    }

    /** {@inheritDoc} */
    public void init(final byte[] key, final byte[] iv)
    {
        AeadCiphers.checkKeyAndIv(algorithm, key, iv);
        if (0 == context.handle)
        {
            final long handle = NativeAead.create(algorithm.wireId(), key, iv);
            if (handle <= 0)
            {
                throw failure((int)handle, "create");
            }
            context.handle = handle;
            cleanable = CLEANER.register(this, context);
        }
        else
        {
            final int result = NativeAead.rekey(context.handle, key, iv);
            if (0 != result)
            {
                throw failure(result, "rekey");
            }
        }
    }

    /** {@inheritDoc} */
    public void seal(
        final long packetNumber, final ByteBuffer buffer, final int offset, final int headerLength, final int payloadLength)
    {
        final long handle = handle();
        checkBounds(buffer, offset, headerLength, payloadLength + AeadAlgorithm.TAG_LENGTH);
        final int result;
        if (buffer.isDirect())
        {
            result = NativeAead.seal(
                handle, packetNumber, BufferUtil.address(buffer), buffer.capacity(), offset, headerLength, payloadLength);
        }
        else
        {
            final int length = headerLength + payloadLength;
            final ByteBuffer copy = scratch(length + AeadAlgorithm.TAG_LENGTH);
            copy.put(0, buffer, offset, length);
            result = NativeAead.seal(handle, packetNumber, scratchAddress, copy.capacity(), 0, headerLength, payloadLength);
            buffer.put(offset + headerLength, copy, headerLength, payloadLength + AeadAlgorithm.TAG_LENGTH);
        }
        Reference.reachabilityFence(this);
        if (0 != result)
        {
            throw failure(result, "seal");
        }
    }

    /** {@inheritDoc} */
    public boolean open(
        final long packetNumber, final ByteBuffer buffer, final int offset, final int headerLength, final int ciphertextLength)
    {
        final long handle = handle();
        checkBounds(buffer, offset, headerLength, ciphertextLength);
        if (ciphertextLength < AeadAlgorithm.TAG_LENGTH)
        {
            throw new IllegalArgumentException("ciphertext shorter than the tag: " + ciphertextLength);
        }
        final int result;
        if (buffer.isDirect())
        {
            result = NativeAead.open(
                handle, packetNumber, BufferUtil.address(buffer), buffer.capacity(), offset, headerLength, ciphertextLength);
        }
        else
        {
            final int length = headerLength + ciphertextLength;
            final ByteBuffer copy = scratch(length);
            copy.put(0, buffer, offset, length);
            result = NativeAead.open(handle, packetNumber, scratchAddress, copy.capacity(), 0, headerLength, ciphertextLength);
            if (AeadBatchDescriptor.RESULT_OK == result)
            {
                buffer.put(offset + headerLength, copy, headerLength, ciphertextLength - AeadAlgorithm.TAG_LENGTH);
            }
        }
        Reference.reachabilityFence(this);
        if (result < 0)
        {
            throw failure(result, "open");
        }
        return AeadBatchDescriptor.RESULT_OK == result;
    }

    /** {@inheritDoc} */
    public void destroy()
    {
        if (null != cleanable)
        {
            // Zeroes the handle, then frees the context: at most once, whoever comes first.
            cleanable.clean();
            cleanable = null;
        }
        if (null != scratch)
        {
            for (int i = 0; i < scratch.capacity(); i++)
            {
                scratch.put(i, (byte)0);
            }
        }
    }

    /** @return whether the cipher holds a key (it was initialised and not destroyed). */
    public boolean isKeyed()
    {
        return 0 != context.handle;
    }

    /**
     * Seals every packet of {@code batch} in place with {@code cipher}, in one JNI call: each record's payload is
     * encrypted over itself and its tag written after it; the header is the associated data. Every record's key
     * index must be 0.
     *
     * @param cipher the sealing key.
     * @param buffer direct buffer holding the packets.
     * @param batch  the packets.
     * @return the number of packets sealed ({@code batch.size()}).
     * @throws IndexOutOfBoundsException if a record lies outside the buffer or has another key index (nothing is
     *                                   sealed then).
     * @throws IllegalStateException     if the cipher has no key, or libcrypto failed.
     */
    public static int sealBatch(final NativeAeadCipher cipher, final ByteBuffer buffer, final AeadBatch batch)
    {
        final long handle = cipher.handle();
        checkDirect(buffer);
        final int result = NativeAead.sealBatch(
            handle, BufferUtil.address(buffer), buffer.capacity(), batch.address(), batch.capacityBytes(), batch.size());
        Reference.reachabilityFence(cipher);
        Reference.reachabilityFence(batch);
        if (result < 0)
        {
            throw failure(result, "sealBatch");
        }
        return result;
    }

    /**
     * Authenticates and decrypts every packet of {@code batch} in place, in one JNI call, each with the key its
     * record names (0, 1 or 2 for {@code key0}, {@code key1}, {@code key2}). Each record's result says whether
     * its tag verified; a packet that fails keeps its ciphertext, so it may be retried with another key.
     *
     * @param key0   key index 0, or null when no record names it.
     * @param key1   key index 1, or null when no record names it.
     * @param key2   key index 2, or null when no record names it.
     * @param buffer direct buffer holding the packets.
     * @param batch  the packets.
     * @return the number of packets that authenticated.
     * @throws IndexOutOfBoundsException if a record lies outside the buffer or names a missing or unkeyed key
     *                                   (nothing is opened then).
     * @throws IllegalStateException     if libcrypto failed.
     */
    public static int openBatch(
        final NativeAeadCipher key0,
        final NativeAeadCipher key1,
        final NativeAeadCipher key2,
        final ByteBuffer buffer,
        final AeadBatch batch)
    {
        checkDirect(buffer);
        final int result = NativeAead.openBatch(
            handleOrZero(key0), handleOrZero(key1), handleOrZero(key2), BufferUtil.address(buffer), buffer.capacity(),
            batch.address(), batch.capacityBytes(), batch.size());
        Reference.reachabilityFence(key0);
        Reference.reachabilityFence(key1);
        Reference.reachabilityFence(key2);
        Reference.reachabilityFence(batch);
        if (result < 0)
        {
            throw failure(result, "openBatch");
        }
        return result;
    }

    private long handle()
    {
        final long handle = context.handle;
        if (0 == handle)
        {
            throw new IllegalStateException("cipher has no key (never initialised, or destroyed)");
        }
        return handle;
    }

    private static long handleOrZero(final NativeAeadCipher cipher)
    {
        return null == cipher ? 0 : cipher.context.handle;
    }

    private static void checkDirect(final ByteBuffer buffer)
    {
        if (!buffer.isDirect())
        {
            throw new IllegalArgumentException("batch calls need a direct buffer");
        }
    }

    private static void checkBounds(final ByteBuffer buffer, final int offset, final int headerLength, final int length)
    {
        if (offset < 0 || headerLength < 0 || length < 0 || (long)offset + headerLength + length > buffer.capacity())
        {
            throw new IndexOutOfBoundsException("packet at " + offset + " (header " + headerLength + ", " + length +
                " bytes) outside buffer of " + buffer.capacity());
        }
    }

    private ByteBuffer scratch(final int length)
    {
        if (null == scratch || scratch.capacity() < length)
        {
            scratch = ByteBuffer.allocateDirect(Math.max(length, null == scratch ? 2048 : scratch.capacity() * 2));
            scratchAddress = BufferUtil.address(scratch);
        }
        return scratch;
    }

    private static RuntimeException failure(final int code, final String operation)
    {
        switch (code)
        {
            case NativeAead.ERR_BAD_DESCRIPTOR:
                return new IndexOutOfBoundsException(
                    operation + ": a record lies outside the buffer or names a missing key (shim check)");
            case NativeAead.ERR_BAD_ARGUMENT:
                return new IndexOutOfBoundsException(operation + ": bad argument (shim check)");
            case NativeAead.ERR_CRYPTO_UNAVAILABLE:
                return new IllegalStateException(operation + ": libcrypto unavailable: " + NativeAead.availability());
            case NativeAead.ERR_CRYPTO:
                return new IllegalStateException(operation + ": libcrypto reported a failure");
            default:
                return new IllegalStateException(operation + ": native AEAD error " + code);
        }
    }

    /** The native context; also the Cleaner action, so it must not refer to the cipher. */
    private static final class NativeContext implements Runnable
    {
        long handle;

        public void run()
        {
            final long toFree = handle;
            handle = 0;
            if (0 != toFree)
            {
                NativeAead.free(toFree);
            }
        }
    }
}
