/*
 * Shared declarations of the Salvo JNI shim.
 *
 * Java lays out every batch in direct memory as flat records (see SendEntryDescriptor,
 * ReceiveSlotDescriptor and SockaddrDescriptor in dev.salvo.io); the shim expands those records
 * into mmsghdr/iovec/cmsg arrays in a scratch area Java reserved, makes ONE sendmmsg/recvmmsg
 * and returns a count or -errno. The record offsets below are the contract with Java: they are
 * exported through NativeIo.layout() and checked by Java when the library loads.
 */
#ifndef SALVO_H
#define SALVO_H

#include <jni.h>
#include <stdint.h>
#include <string.h>

/* Send entry record: one datagram, or one GSO train of equal segments (last may be shorter). */
#define SALVO_SEND_ENTRY_DATA_OFFSET     0   /* int32: offset of the payload in the data region */
#define SALVO_SEND_ENTRY_DATA_LENGTH     4   /* int32: payload length (all segments) */
#define SALVO_SEND_ENTRY_SEGMENT_SIZE    8   /* int32: 0 = plain datagram, else GSO segment size */
#define SALVO_SEND_ENTRY_ADDRESS_LENGTH  12  /* int32: sockaddr length, 16 (IPv4) or 28 (IPv6) */
#define SALVO_SEND_ENTRY_ADDRESS         16  /* sockaddr_in / sockaddr_in6, 32 bytes reserved */
#define SALVO_SEND_ENTRY_LENGTH          48

/* Receive slot record: one receive buffer, its source address and its own control buffer. */
#define SALVO_RECV_SLOT_DATA_OFFSET      0   /* int32 in: offset of the slot buffer in the data region */
#define SALVO_RECV_SLOT_CAPACITY         4   /* int32 in: slot buffer capacity */
#define SALVO_RECV_SLOT_RECEIVED_LENGTH  8   /* int32 out: bytes received (whole GRO train) */
#define SALVO_RECV_SLOT_MSG_FLAGS        12  /* int32 out: msg_flags (MSG_TRUNC, MSG_CTRUNC) */
#define SALVO_RECV_SLOT_SEGMENT_SIZE     16  /* int32 out: UDP_GRO segment size, 0 if none */
#define SALVO_RECV_SLOT_ADDRESS_LENGTH   20  /* int32 out: source sockaddr length */
#define SALVO_RECV_SLOT_ADDRESS          24  /* source sockaddr, 32 bytes reserved */
#define SALVO_RECV_SLOT_CONTROL          64  /* control buffer (cmsg), 64 bytes, 8-byte aligned */
#define SALVO_RECV_SLOT_CONTROL_LENGTH   64
#define SALVO_RECV_SLOT_LENGTH           128

#define SALVO_SOCKADDR_RESERVED          32
#define SALVO_MAX_MESSAGES_PER_CALL      1024 /* UIO_MAXIOV: the kernel's vlen cap */
#define SALVO_MAX_GSO_SEGMENTS           64
#define SALVO_MAX_ENTRIES                65536

/* Send flags. */
#define SALVO_SEND_FLAG_GSO              1

/* Shim-specific error codes, outside the errno range: a malformed descriptor table. */
#define SALVO_ERR_BAD_DESCRIPTOR         (-100001)
#define SALVO_ERR_BAD_ARGUMENT           (-100002)
/* Native AEAD (salvo_aead.c): libcrypto could not be loaded, or it reported a failure. */
#define SALVO_ERR_CRYPTO_UNAVAILABLE     (-100003)
#define SALVO_ERR_CRYPTO                 (-100004)

/* Native AEAD algorithms: the wire ids of dev.salvo.crypto.aead.AeadAlgorithm. */
#define SALVO_AEAD_AES_128_GCM           1
#define SALVO_AEAD_AES_256_GCM           2
#define SALVO_AEAD_CHACHA20_POLY1305     3
#define SALVO_AEAD_NONCE_LENGTH          12
#define SALVO_AEAD_TAG_LENGTH            16
#define SALVO_AEAD_MAX_HEADER_LENGTH     65535
#define SALVO_AEAD_MAX_PACKET_LENGTH     (1 << 30)

/* AEAD batch record (dev.salvo.crypto.aead.AeadBatchDescriptor): one packet sealed or opened in place. */
#define SALVO_AEAD_ENTRY_PACKET_NUMBER   0   /* int64 in: packet number, XORed into the context's IV */
#define SALVO_AEAD_ENTRY_OFFSET          8   /* int32 in: offset of the header (associated data) */
#define SALVO_AEAD_ENTRY_HEADER_LENGTH   12  /* int32 in: header length */
#define SALVO_AEAD_ENTRY_LENGTH_FIELD    16  /* int32 in: seal: plaintext length; open: ciphertext + tag */
#define SALVO_AEAD_ENTRY_KEY_INDEX       20  /* int32 in: which context of the call (seal: 0; open: 0..2) */
#define SALVO_AEAD_ENTRY_RESULT          24  /* int32 out: SALVO_AEAD_RESULT_* or a negative code */
#define SALVO_AEAD_ENTRY_LENGTH          32
#define SALVO_AEAD_MAX_ENTRIES           65536
#define SALVO_AEAD_RESULT_OK             0
#define SALVO_AEAD_RESULT_AUTH_FAILED    1

/* Scratch bytes the shim needs per message it expands (mmsghdr + iovec + cmsg space). */
size_t salvo_send_scratch_per_message(void);
size_t salvo_receive_scratch_per_slot(void);

/* Resets a wake-up eventfd after poll reported it readable; 0 or -errno. */
int salvo_drain_wakeup(int fd);

static inline int32_t salvo_get_int(const unsigned char *base, int offset)
{
    int32_t value;
    memcpy(&value, base + offset, sizeof(value));
    return value;
}

static inline void salvo_put_int(unsigned char *base, int offset, int32_t value)
{
    memcpy(base + offset, &value, sizeof(value));
}

#endif
