/*
 * Native AEAD for data packets (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305) on the system's OpenSSL
 * libcrypto, found at run time with dlopen: the shim needs no OpenSSL headers or link-time dependency, and
 * still loads where libcrypto is absent (then Java keeps its JDK strategy).
 *
 * One EVP_CIPHER_CTX per key: the key is expanded once at create/rekey; a packet only installs a new nonce
 * (static IV XOR packet number, as dev.salvo.crypto.aead.AeadCiphers.nonce) and runs update/final, so a
 * packet allocates nothing. Java owns each context from one thread and never passes a freed handle (it checks
 * its own closed flag first); the shim cannot check a pointer, but it checks every offset and length of a
 * batch against the buffer capacity Java passes, before touching any packet.
 *
 * Batch record layout: see SALVO_AEAD_ENTRY_* in salvo.h and dev.salvo.crypto.aead.AeadBatchDescriptor.
 */
#include "salvo.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* OpenSSL ABI we rely on, declared here rather than included (stable since 1.1.0; checked against 3.0 evp.h). */
typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;
typedef struct evp_cipher_st EVP_CIPHER;
typedef struct engine_st ENGINE;

#define SALVO_EVP_CTRL_AEAD_SET_IVLEN 0x9
#define SALVO_EVP_CTRL_AEAD_GET_TAG   0x10
#define SALVO_EVP_CTRL_AEAD_SET_TAG   0x11
#define SALVO_OPENSSL_VERSION         0

typedef EVP_CIPHER_CTX *(*evp_ctx_new_fn)(void);
typedef void (*evp_ctx_free_fn)(EVP_CIPHER_CTX *);
typedef const EVP_CIPHER *(*evp_cipher_fn)(void);
typedef int (*evp_cipher_init_ex_fn)(
    EVP_CIPHER_CTX *, const EVP_CIPHER *, ENGINE *, const unsigned char *, const unsigned char *, int);
typedef int (*evp_cipher_update_fn)(EVP_CIPHER_CTX *, unsigned char *, int *, const unsigned char *, int);
typedef int (*evp_cipher_final_ex_fn)(EVP_CIPHER_CTX *, unsigned char *, int *);
typedef int (*evp_ctx_ctrl_fn)(EVP_CIPHER_CTX *, int, int, void *);
typedef const char *(*openssl_version_fn)(int);

static struct
{
    int state; /* 0 = not tried, 1 = loaded, < 0 = error code of the failed attempt */
    char description[256];
    evp_ctx_new_fn ctx_new;
    evp_ctx_free_fn ctx_free;
    evp_cipher_fn aes_128_gcm;
    evp_cipher_fn aes_256_gcm;
    evp_cipher_fn chacha20_poly1305;
    evp_cipher_init_ex_fn cipher_init_ex;
    evp_cipher_update_fn cipher_update;
    evp_cipher_final_ex_fn cipher_final_ex;
    evp_ctx_ctrl_fn ctx_ctrl;
} crypto;

static pthread_mutex_t crypto_lock = PTHREAD_MUTEX_INITIALIZER;

struct salvo_aead
{
    EVP_CIPHER_CTX *ctx;
    int algorithm;
    unsigned char iv[SALVO_AEAD_NONCE_LENGTH];
};

static int bind_symbols(void *library)
{
#define SALVO_BIND(field, name) \
    do \
    { \
        *(void **)(&crypto.field) = dlsym(library, name); \
        if (NULL == crypto.field) \
        { \
            snprintf(crypto.description, sizeof(crypto.description), "libcrypto lacks %s", name); \
            return 0; \
        } \
    } \
    while (0)

    SALVO_BIND(ctx_new, "EVP_CIPHER_CTX_new");
    SALVO_BIND(ctx_free, "EVP_CIPHER_CTX_free");
    SALVO_BIND(aes_128_gcm, "EVP_aes_128_gcm");
    SALVO_BIND(aes_256_gcm, "EVP_aes_256_gcm");
    SALVO_BIND(chacha20_poly1305, "EVP_chacha20_poly1305");
    SALVO_BIND(cipher_init_ex, "EVP_CipherInit_ex");
    SALVO_BIND(cipher_update, "EVP_CipherUpdate");
    SALVO_BIND(cipher_final_ex, "EVP_CipherFinal_ex");
    SALVO_BIND(ctx_ctrl, "EVP_CIPHER_CTX_ctrl");
#undef SALVO_BIND
    return 1;
}

static int load_library(const char *name)
{
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (NULL == library)
    {
        const char *reason = dlerror();
        snprintf(crypto.description, sizeof(crypto.description), "dlopen(%s): %s", name, NULL == reason ? "?" : reason);
        return 0;
    }
    if (!bind_symbols(library))
    {
        dlclose(library);
        return 0;
    }
    openssl_version_fn version;
    *(void **)(&version) = dlsym(library, "OpenSSL_version");
    snprintf(crypto.description, sizeof(crypto.description), "%s (%s)",
        NULL == version ? "OpenSSL" : version(SALVO_OPENSSL_VERSION), name);
    /* Never dlclose a library that is in use: contexts point into it for the life of the JVM. */
    return 1;
}

/* Loads libcrypto once: the given soname only, or the default list when it is NULL or empty. */
static int load_crypto(const char *soname)
{
    pthread_mutex_lock(&crypto_lock);
    if (0 == crypto.state)
    {
        static const char *const names[] = { "libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so" };
        int loaded = 0;
        if (NULL != soname && '\0' != soname[0])
        {
            loaded = load_library(soname);
        }
        else
        {
            for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !loaded; i++)
            {
                loaded = load_library(names[i]);
            }
        }
        crypto.state = loaded ? 1 : SALVO_ERR_CRYPTO_UNAVAILABLE;
    }
    const int state = crypto.state;
    pthread_mutex_unlock(&crypto_lock);
    return state;
}

static inline void make_nonce(const unsigned char *iv, const uint64_t packetNumber, unsigned char *nonce)
{
    memcpy(nonce, iv, 4);
    for (int i = 0; i < 8; i++)
    {
        nonce[4 + i] = (unsigned char)(iv[4 + i] ^ (unsigned char)(packetNumber >> (56 - 8 * i)));
    }
}

static const EVP_CIPHER *cipher_of(const int algorithm)
{
    switch (algorithm)
    {
        case SALVO_AEAD_AES_128_GCM: return crypto.aes_128_gcm();
        case SALVO_AEAD_AES_256_GCM: return crypto.aes_256_gcm();
        case SALVO_AEAD_CHACHA20_POLY1305: return crypto.chacha20_poly1305();
        default: return NULL;
    }
}

static int key_length_of(const int algorithm)
{
    return SALVO_AEAD_AES_128_GCM == algorithm ? 16 : 32;
}

/*
 * Seals payload in place and writes the tag after it; header is the associated data.
 * The nonce is passed explicitly so a batch and a single call share this code.
 */
static int seal_one(
    struct salvo_aead *aead, const uint64_t packetNumber,
    const unsigned char *header, const int headerLength, unsigned char *payload, const int payloadLength)
{
    unsigned char nonce[SALVO_AEAD_NONCE_LENGTH];
    make_nonce(aead->iv, packetNumber, nonce);
    int written = 0;
    int outLength = 0;
    if (1 != crypto.cipher_init_ex(aead->ctx, NULL, NULL, NULL, nonce, 1) ||
        (headerLength > 0 && 1 != crypto.cipher_update(aead->ctx, NULL, &outLength, header, headerLength)) ||
        (payloadLength > 0 && 1 != crypto.cipher_update(aead->ctx, payload, &written, payload, payloadLength)) ||
        1 != crypto.cipher_final_ex(aead->ctx, payload + written, &outLength) ||
        written + outLength != payloadLength ||
        1 != crypto.ctx_ctrl(aead->ctx, SALVO_EVP_CTRL_AEAD_GET_TAG, SALVO_AEAD_TAG_LENGTH, payload + payloadLength))
    {
        return SALVO_ERR_CRYPTO;
    }
    return 0;
}

/*
 * Authenticates and decrypts in place. On a bad tag the ciphertext is restored (the keystream applied once
 * more, without producing a tag), so the caller may retry the packet with another key or nonce; returns
 * SALVO_AEAD_RESULT_AUTH_FAILED then.
 */
static int open_one(
    struct salvo_aead *aead, const uint64_t packetNumber,
    const unsigned char *header, const int headerLength, unsigned char *payload, const int ciphertextLength)
{
    const int plaintextLength = ciphertextLength - SALVO_AEAD_TAG_LENGTH;
    unsigned char nonce[SALVO_AEAD_NONCE_LENGTH];
    make_nonce(aead->iv, packetNumber, nonce);
    int written = 0;
    int outLength = 0;
    if (1 != crypto.cipher_init_ex(aead->ctx, NULL, NULL, NULL, nonce, 0) ||
        1 != crypto.ctx_ctrl(aead->ctx, SALVO_EVP_CTRL_AEAD_SET_TAG, SALVO_AEAD_TAG_LENGTH, payload + plaintextLength) ||
        (headerLength > 0 && 1 != crypto.cipher_update(aead->ctx, NULL, &outLength, header, headerLength)) ||
        (plaintextLength > 0 && 1 != crypto.cipher_update(aead->ctx, payload, &written, payload, plaintextLength)))
    {
        return SALVO_ERR_CRYPTO;
    }
    if (1 == crypto.cipher_final_ex(aead->ctx, payload + written, &outLength))
    {
        return written + outLength == plaintextLength ? SALVO_AEAD_RESULT_OK : SALVO_ERR_CRYPTO;
    }
    if (plaintextLength > 0)
    {
        /* Counter-mode decryption is its own inverse: the same nonce and keystream restore the ciphertext. */
        if (1 != crypto.cipher_init_ex(aead->ctx, NULL, NULL, NULL, nonce, 0) ||
            1 != crypto.cipher_update(aead->ctx, payload, &written, payload, plaintextLength))
        {
            return SALVO_ERR_CRYPTO;
        }
    }
    return SALVO_AEAD_RESULT_AUTH_FAILED;
}

/* Whether [offset, offset + headerLength + length + extra) lies inside [0, capacity). */
static inline int packet_in_bounds(
    const int64_t offset, const int64_t headerLength, const int64_t length, const int64_t extra, const int64_t capacity)
{
    return offset >= 0 && headerLength >= 0 && length >= 0 && headerLength <= SALVO_AEAD_MAX_HEADER_LENGTH &&
        length <= SALVO_AEAD_MAX_PACKET_LENGTH && offset + headerLength + length + extra <= capacity;
}

JNIEXPORT jint JNICALL Java_dev_salvo_crypto_aead_NativeAead_load(JNIEnv *env, jclass cls, jstring soname)
{
    (void)cls;
    const char *name = NULL == soname ? NULL : (*env)->GetStringUTFChars(env, soname, NULL);
    const int state = load_crypto(name);
    if (NULL != name)
    {
        (*env)->ReleaseStringUTFChars(env, soname, name);
    }
    return state;
}

JNIEXPORT jstring JNICALL Java_dev_salvo_crypto_aead_NativeAead_description(JNIEnv *env, jclass cls)
{
    (void)cls;
    pthread_mutex_lock(&crypto_lock);
    char text[sizeof(crypto.description)];
    memcpy(text, crypto.description, sizeof(text));
    pthread_mutex_unlock(&crypto_lock);
    text[sizeof(text) - 1] = '\0';
    return (*env)->NewStringUTF(env, text);
}

JNIEXPORT jint JNICALL Java_dev_salvo_crypto_aead_NativeAead_layout(JNIEnv *env, jclass cls, jint key)
{
    (void)env;
    (void)cls;
    switch (key)
    {
        case 0: return SALVO_AEAD_ENTRY_LENGTH;
        case 1: return SALVO_AEAD_ENTRY_PACKET_NUMBER;
        case 2: return SALVO_AEAD_ENTRY_OFFSET;
        case 3: return SALVO_AEAD_ENTRY_HEADER_LENGTH;
        case 4: return SALVO_AEAD_ENTRY_LENGTH_FIELD;
        case 5: return SALVO_AEAD_ENTRY_KEY_INDEX;
        case 6: return SALVO_AEAD_ENTRY_RESULT;
        case 7: return SALVO_AEAD_MAX_ENTRIES;
        default: return -1;
    }
}

static int init_key(JNIEnv *env, struct salvo_aead *aead, const EVP_CIPHER *cipher, jbyteArray key, jbyteArray iv)
{
    unsigned char keyBytes[32];
    const int keyLength = key_length_of(aead->algorithm);
    if (NULL == key || NULL == iv || (*env)->GetArrayLength(env, key) != keyLength ||
        (*env)->GetArrayLength(env, iv) != SALVO_AEAD_NONCE_LENGTH)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    (*env)->GetByteArrayRegion(env, key, 0, keyLength, (jbyte *)keyBytes);
    (*env)->GetByteArrayRegion(env, iv, 0, SALVO_AEAD_NONCE_LENGTH, (jbyte *)aead->iv);
    int result = 0;
    if (NULL != cipher)
    {
        /* First keying: choose the cipher and the 12-byte nonce length, then set the key. */
        if (1 != crypto.cipher_init_ex(aead->ctx, cipher, NULL, NULL, NULL, 1) ||
            1 != crypto.ctx_ctrl(aead->ctx, SALVO_EVP_CTRL_AEAD_SET_IVLEN, SALVO_AEAD_NONCE_LENGTH, NULL))
        {
            result = SALVO_ERR_CRYPTO;
        }
    }
    if (0 == result && 1 != crypto.cipher_init_ex(aead->ctx, NULL, NULL, keyBytes, NULL, 1))
    {
        result = SALVO_ERR_CRYPTO;
    }
    explicit_bzero(keyBytes, sizeof(keyBytes));
    return result;
}

JNIEXPORT jlong JNICALL Java_dev_salvo_crypto_aead_NativeAead_create(
    JNIEnv *env, jclass cls, jint algorithm, jbyteArray key, jbyteArray iv)
{
    (void)cls;
    if (1 != crypto.state)
    {
        return SALVO_ERR_CRYPTO_UNAVAILABLE;
    }
    const EVP_CIPHER *cipher = cipher_of(algorithm);
    if (NULL == cipher)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    struct salvo_aead *aead = calloc(1, sizeof(*aead));
    if (NULL == aead)
    {
        return -ENOMEM;
    }
    aead->algorithm = algorithm;
    aead->ctx = crypto.ctx_new();
    if (NULL == aead->ctx)
    {
        free(aead);
        return -ENOMEM;
    }
    const int result = init_key(env, aead, cipher, key, iv);
    if (0 != result)
    {
        crypto.ctx_free(aead->ctx);
        explicit_bzero(aead, sizeof(*aead));
        free(aead);
        return result;
    }
    return (jlong)(uintptr_t)aead;
}

JNIEXPORT jint JNICALL Java_dev_salvo_crypto_aead_NativeAead_rekey(
    JNIEnv *env, jclass cls, jlong handle, jbyteArray key, jbyteArray iv)
{
    (void)cls;
    if (0 == handle)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    return init_key(env, (struct salvo_aead *)(uintptr_t)handle, NULL, key, iv);
}

JNIEXPORT void JNICALL Java_dev_salvo_crypto_aead_NativeAead_free(JNIEnv *env, jclass cls, jlong handle)
{
    (void)env;
    (void)cls;
    if (0 != handle)
    {
        struct salvo_aead *aead = (struct salvo_aead *)(uintptr_t)handle;
        crypto.ctx_free(aead->ctx); /* EVP_CIPHER_CTX_free cleanses the key schedule */
        explicit_bzero(aead, sizeof(*aead));
        free(aead);
    }
}

JNIEXPORT jint JNICALL Java_dev_salvo_crypto_aead_NativeAead_seal(
    JNIEnv *env, jclass cls, jlong handle, jlong packetNumber, jlong dataAddress, jint dataCapacity,
    jint offset, jint headerLength, jint payloadLength)
{
    (void)env;
    (void)cls;
    if (0 == handle || 0 == dataAddress || dataCapacity < 0 ||
        !packet_in_bounds(offset, headerLength, payloadLength, SALVO_AEAD_TAG_LENGTH, dataCapacity))
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    unsigned char *packet = (unsigned char *)(uintptr_t)dataAddress + offset;
    return seal_one(
        (struct salvo_aead *)(uintptr_t)handle, (uint64_t)packetNumber, packet, headerLength, packet + headerLength,
        payloadLength);
}

JNIEXPORT jint JNICALL Java_dev_salvo_crypto_aead_NativeAead_open(
    JNIEnv *env, jclass cls, jlong handle, jlong packetNumber, jlong dataAddress, jint dataCapacity,
    jint offset, jint headerLength, jint ciphertextLength)
{
    (void)env;
    (void)cls;
    if (0 == handle || 0 == dataAddress || dataCapacity < 0 || ciphertextLength < SALVO_AEAD_TAG_LENGTH ||
        !packet_in_bounds(offset, headerLength, ciphertextLength, 0, dataCapacity))
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    unsigned char *packet = (unsigned char *)(uintptr_t)dataAddress + offset;
    return open_one(
        (struct salvo_aead *)(uintptr_t)handle, (uint64_t)packetNumber, packet, headerLength, packet + headerLength,
        ciphertextLength);
}

/* Checks the call and every record of a batch table before any packet is touched. */
static int validate_batch(
    const jlong *handles, const int handleCount, const jlong dataAddress, const jint dataCapacity,
    const jlong tableAddress, const jint tableCapacity, const jint count, const int sealing)
{
    if (0 == dataAddress || 0 == tableAddress || dataCapacity < 0 || tableCapacity < 0 ||
        count < 0 || count > SALVO_AEAD_MAX_ENTRIES || (int64_t)count * SALVO_AEAD_ENTRY_LENGTH > tableCapacity)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    const unsigned char *table = (const unsigned char *)(uintptr_t)tableAddress;
    for (int i = 0; i < count; i++)
    {
        const unsigned char *entry = table + (size_t)i * SALVO_AEAD_ENTRY_LENGTH;
        const int32_t offset = salvo_get_int(entry, SALVO_AEAD_ENTRY_OFFSET);
        const int32_t headerLength = salvo_get_int(entry, SALVO_AEAD_ENTRY_HEADER_LENGTH);
        const int32_t length = salvo_get_int(entry, SALVO_AEAD_ENTRY_LENGTH_FIELD);
        const int32_t keyIndex = salvo_get_int(entry, SALVO_AEAD_ENTRY_KEY_INDEX);
        if (keyIndex < 0 || keyIndex >= handleCount || 0 == handles[keyIndex] ||
            (!sealing && length < SALVO_AEAD_TAG_LENGTH) ||
            !packet_in_bounds(offset, headerLength, length, sealing ? SALVO_AEAD_TAG_LENGTH : 0, dataCapacity))
        {
            return SALVO_ERR_BAD_DESCRIPTOR;
        }
    }
    return 0;
}

JNIEXPORT jint JNICALL Java_dev_salvo_crypto_aead_NativeAead_sealBatch(
    JNIEnv *env, jclass cls, jlong handle, jlong dataAddress, jint dataCapacity,
    jlong tableAddress, jint tableCapacity, jint count)
{
    (void)env;
    (void)cls;
    const jlong handles[1] = { handle };
    if (0 == handle)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    const int valid = validate_batch(handles, 1, dataAddress, dataCapacity, tableAddress, tableCapacity, count, 1);
    if (0 != valid)
    {
        return valid;
    }
    struct salvo_aead *aead = (struct salvo_aead *)(uintptr_t)handle;
    unsigned char *data = (unsigned char *)(uintptr_t)dataAddress;
    unsigned char *table = (unsigned char *)(uintptr_t)tableAddress;
    for (int i = 0; i < count; i++)
    {
        unsigned char *entry = table + (size_t)i * SALVO_AEAD_ENTRY_LENGTH;
        int64_t packetNumber;
        memcpy(&packetNumber, entry + SALVO_AEAD_ENTRY_PACKET_NUMBER, sizeof(packetNumber));
        const int32_t offset = salvo_get_int(entry, SALVO_AEAD_ENTRY_OFFSET);
        const int32_t headerLength = salvo_get_int(entry, SALVO_AEAD_ENTRY_HEADER_LENGTH);
        const int32_t payloadLength = salvo_get_int(entry, SALVO_AEAD_ENTRY_LENGTH_FIELD);
        unsigned char *packet = data + offset;
        const int result = seal_one(
            aead, (uint64_t)packetNumber, packet, headerLength, packet + headerLength, payloadLength);
        salvo_put_int(entry, SALVO_AEAD_ENTRY_RESULT, result);
        if (0 != result)
        {
            return result;
        }
    }
    return count;
}

JNIEXPORT jint JNICALL Java_dev_salvo_crypto_aead_NativeAead_openBatch(
    JNIEnv *env, jclass cls, jlong handle0, jlong handle1, jlong handle2, jlong dataAddress, jint dataCapacity,
    jlong tableAddress, jint tableCapacity, jint count)
{
    (void)env;
    (void)cls;
    const jlong handles[3] = { handle0, handle1, handle2 };
    const int valid = validate_batch(handles, 3, dataAddress, dataCapacity, tableAddress, tableCapacity, count, 0);
    if (0 != valid)
    {
        return valid;
    }
    unsigned char *data = (unsigned char *)(uintptr_t)dataAddress;
    unsigned char *table = (unsigned char *)(uintptr_t)tableAddress;
    int authenticated = 0;
    for (int i = 0; i < count; i++)
    {
        unsigned char *entry = table + (size_t)i * SALVO_AEAD_ENTRY_LENGTH;
        int64_t packetNumber;
        memcpy(&packetNumber, entry + SALVO_AEAD_ENTRY_PACKET_NUMBER, sizeof(packetNumber));
        const int32_t offset = salvo_get_int(entry, SALVO_AEAD_ENTRY_OFFSET);
        const int32_t headerLength = salvo_get_int(entry, SALVO_AEAD_ENTRY_HEADER_LENGTH);
        const int32_t ciphertextLength = salvo_get_int(entry, SALVO_AEAD_ENTRY_LENGTH_FIELD);
        const int32_t keyIndex = salvo_get_int(entry, SALVO_AEAD_ENTRY_KEY_INDEX);
        unsigned char *packet = data + offset;
        const int result = open_one(
            (struct salvo_aead *)(uintptr_t)handles[keyIndex], (uint64_t)packetNumber, packet, headerLength,
            packet + headerLength, ciphertextLength);
        salvo_put_int(entry, SALVO_AEAD_ENTRY_RESULT, result);
        if (result < 0)
        {
            return result;
        }
        authenticated += SALVO_AEAD_RESULT_OK == result;
    }
    return authenticated;
}
