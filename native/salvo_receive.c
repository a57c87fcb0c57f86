/*
 * Batch receive: points one mmsghdr at each Java receive slot (buffer, source address, own
 * control buffer), makes one recvmmsg and writes back per slot the length, the msg_flags (so Java
 * sees MSG_TRUNC/MSG_CTRUNC) and the UDP_GRO segment size (an int).
 *
 * The socket itself is blocking (see salvo_socket.c), so the flags decide:
 *   receiveBatch         MSG_DONTWAIT: takes what is queued, EAGAIN when nothing is.
 *   receiveBatchWaiting  MSG_WAITFORONE: sleeps until one datagram is queued (at most SO_RCVTIMEO,
 *                        which Java sets), then takes what is queued up to the slot count without
 *                        sleeping again. One system call per wake-up, like a plain C receiver.
 *                        With delayNanos > 0 (receive coalescing, asked for by Java only while the
 *                        receiver keeps up) it first sleeps that long OFF the socket's wait queue, so
 *                        a batch accumulates and the sender's path finds no waiter to wake per datagram.
 */
#include "salvo.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

size_t salvo_receive_scratch_per_slot(void)
{
    return sizeof(struct mmsghdr) + sizeof(struct iovec);
}

static int raw_recvmmsg(const int fd, struct mmsghdr *messages, const unsigned int count, const int flags)
{
#ifdef SYS_recvmmsg
    return (int)syscall(SYS_recvmmsg, fd, messages, count, flags, NULL);
#else
    return recvmmsg(fd, messages, count, flags, NULL);
#endif
}

static int32_t gro_segment_size(struct msghdr *header)
{
    for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(header); NULL != cmsg; cmsg = CMSG_NXTHDR(header, cmsg))
    {
        if (SOL_UDP == cmsg->cmsg_level && UDP_GRO == cmsg->cmsg_type && cmsg->cmsg_len >= CMSG_LEN(sizeof(int)))
        {
            int size;
            memcpy(&size, CMSG_DATA(cmsg), sizeof(size));
            return size;
        }
    }
    return 0;
}

static jint receive_batch(
    const jint fd, const jlong slotTableAddress, const jint slotCount,
    const jlong dataAddress, const jlong dataCapacity, const jlong scratchAddress, const jint scratchSlots,
    const int waiting, const jlong delayNanos)
{
    if (fd < 0 || 0 == slotTableAddress || 0 == dataAddress || 0 == scratchAddress || dataCapacity < 0 ||
        delayNanos < 0 || delayNanos >= 1000000000LL ||
        slotCount < 1 || slotCount > SALVO_MAX_MESSAGES_PER_CALL || scratchSlots < slotCount)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }

    unsigned char *table = (unsigned char *)(uintptr_t)slotTableAddress;
    unsigned char *data = (unsigned char *)(uintptr_t)dataAddress;
    struct mmsghdr *messages = (struct mmsghdr *)(uintptr_t)scratchAddress;
    struct iovec *iovecs = (struct iovec *)(messages + scratchSlots);

    for (int index = 0; index < slotCount; index++)
    {
        unsigned char *slot = table + (size_t)index * SALVO_RECV_SLOT_LENGTH;
        const int32_t offset = salvo_get_int(slot, SALVO_RECV_SLOT_DATA_OFFSET);
        const int32_t capacity = salvo_get_int(slot, SALVO_RECV_SLOT_CAPACITY);
        if (offset < 0 || capacity < 1 || (jlong)offset > dataCapacity - capacity)
        {
            return SALVO_ERR_BAD_DESCRIPTOR;
        }

        struct mmsghdr *message = &messages[index];
        memset(message, 0, sizeof(*message));
        iovecs[index].iov_base = data + offset;
        iovecs[index].iov_len = (size_t)capacity;
        message->msg_hdr.msg_name = slot + SALVO_RECV_SLOT_ADDRESS;
        message->msg_hdr.msg_namelen = SALVO_SOCKADDR_RESERVED;
        message->msg_hdr.msg_iov = &iovecs[index];
        message->msg_hdr.msg_iovlen = 1;
        message->msg_hdr.msg_control = slot + SALVO_RECV_SLOT_CONTROL;
        message->msg_hdr.msg_controllen = SALVO_RECV_SLOT_CONTROL_LENGTH;
    }

    int received;
    if (waiting && delayNanos > 0)
    {
        /* A signal only shortens the coalescing delay: no need to resume it. */
        const struct timespec delay = { .tv_sec = 0, .tv_nsec = (long)delayNanos };
        (void)nanosleep(&delay, NULL);
    }
    if (waiting)
    {
        /*
         * A signal ends the wait early: report "nothing yet" rather than restart it (a restart would
         * start the whole SO_RCVTIMEO over). close() from Java shuts the socket down, which ends the
         * wait too: recvmmsg then returns an empty message without a source address (after whatever
         * was still queued), which Java reads as end-of-stream.
         */
        received = raw_recvmmsg(fd, messages, (unsigned int)slotCount, MSG_WAITFORONE);
        if (received < 0 && EINTR == errno)
        {
            return -EAGAIN;
        }
    }
    else
    {
        do
        {
            received = raw_recvmmsg(fd, messages, (unsigned int)slotCount, MSG_DONTWAIT);
        }
        while (received < 0 && EINTR == errno);
    }

    if (received < 0)
    {
        return -errno;
    }

    for (int index = 0; index < received; index++)
    {
        unsigned char *slot = table + (size_t)index * SALVO_RECV_SLOT_LENGTH;
        struct msghdr *header = &messages[index].msg_hdr;
        salvo_put_int(slot, SALVO_RECV_SLOT_RECEIVED_LENGTH, (int32_t)messages[index].msg_len);
        salvo_put_int(slot, SALVO_RECV_SLOT_MSG_FLAGS, header->msg_flags);
        salvo_put_int(slot, SALVO_RECV_SLOT_SEGMENT_SIZE, gro_segment_size(header));
        salvo_put_int(slot, SALVO_RECV_SLOT_ADDRESS_LENGTH, (int32_t)header->msg_namelen);
    }

    return received;
}

JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_receiveBatch(
    JNIEnv *env, jclass cls, jint fd, jlong slotTableAddress, jint slotCount,
    jlong dataAddress, jlong dataCapacity, jlong scratchAddress, jint scratchSlots)
{
    (void)env;
    (void)cls;
    return receive_batch(fd, slotTableAddress, slotCount, dataAddress, dataCapacity, scratchAddress, scratchSlots, 0, 0);
}

JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_receiveBatchWaiting(
    JNIEnv *env, jclass cls, jint fd, jlong slotTableAddress, jint slotCount,
    jlong dataAddress, jlong dataCapacity, jlong scratchAddress, jint scratchSlots, jlong delayNanos)
{
    (void)env;
    (void)cls;
    return receive_batch(
        fd, slotTableAddress, slotCount, dataAddress, dataCapacity, scratchAddress, scratchSlots, 1, delayNanos);
}
