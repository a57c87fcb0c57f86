/*
 * Batch send: expands the Java-written send entry table into mmsghdr/iovec/cmsg arrays in the
 * caller's scratch area and makes one sendmmsg. Every length and offset is checked against the
 * data region before the kernel sees a pointer: a bad table yields SALVO_ERR_BAD_DESCRIPTOR,
 * never a stray read.
 *
 * With SALVO_SEND_FLAG_GSO a segmented entry becomes one message with a UDP_SEGMENT cmsg;
 * without it, each segment becomes its own message (the fallback after the kernel rejected GSO).
 */
#include "salvo.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

size_t salvo_send_scratch_per_message(void)
{
    return sizeof(struct mmsghdr) + sizeof(struct iovec) + CMSG_SPACE(sizeof(uint16_t));
}

static int raw_sendmmsg(const int fd, struct mmsghdr *messages, const unsigned int count)
{
#ifdef SYS_sendmmsg
    return (int)syscall(SYS_sendmmsg, fd, messages, count, MSG_DONTWAIT);
#else
    return sendmmsg(fd, messages, count, MSG_DONTWAIT);
#endif
}

static int address_is_valid(const unsigned char *entry, const int32_t addressLength)
{
    sa_family_t family;
    memcpy(&family, entry + SALVO_SEND_ENTRY_ADDRESS, sizeof(family));
    return (AF_INET == family && addressLength == (int32_t)sizeof(struct sockaddr_in)) ||
        (AF_INET6 == family && addressLength == (int32_t)sizeof(struct sockaddr_in6));
}

JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_sendBatch(
    JNIEnv *env, jclass cls, jint fd, jlong tableAddress, jint firstEntry, jint firstSegment, jint entryCount,
    jlong dataAddress, jint dataCapacity, jlong scratchAddress, jint scratchMessages, jint flags)
{
    (void)env;
    (void)cls;
    if (fd < 0 || 0 == tableAddress || 0 == dataAddress || 0 == scratchAddress || dataCapacity < 0 ||
        entryCount < 1 || entryCount > SALVO_MAX_ENTRIES || firstEntry < 0 || firstEntry >= entryCount ||
        firstSegment < 0 || firstSegment >= SALVO_MAX_GSO_SEGMENTS ||
        scratchMessages < 1 || scratchMessages > SALVO_MAX_MESSAGES_PER_CALL)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }

    unsigned char *table = (unsigned char *)(uintptr_t)tableAddress;
    unsigned char *data = (unsigned char *)(uintptr_t)dataAddress;
    struct mmsghdr *messages = (struct mmsghdr *)(uintptr_t)scratchAddress;
    struct iovec *iovecs = (struct iovec *)(messages + scratchMessages);
    unsigned char *controls = (unsigned char *)(iovecs + scratchMessages);
    const size_t controlSpace = CMSG_SPACE(sizeof(uint16_t));
    const int gso = (flags & SALVO_SEND_FLAG_GSO) != 0;

    int count = 0;
    int segment = firstSegment;
    for (int index = firstEntry; index < entryCount && count < scratchMessages; index++)
    {
        unsigned char *entry = table + (size_t)index * SALVO_SEND_ENTRY_LENGTH;
        const int32_t offset = salvo_get_int(entry, SALVO_SEND_ENTRY_DATA_OFFSET);
        const int32_t length = salvo_get_int(entry, SALVO_SEND_ENTRY_DATA_LENGTH);
        const int32_t segmentSize = salvo_get_int(entry, SALVO_SEND_ENTRY_SEGMENT_SIZE);
        const int32_t addressLength = salvo_get_int(entry, SALVO_SEND_ENTRY_ADDRESS_LENGTH);
        if (offset < 0 || length < 0 || offset > dataCapacity - length || length > 65535 ||
            segmentSize < 0 || segmentSize > 65535 || !address_is_valid(entry, addressLength))
        {
            return SALVO_ERR_BAD_DESCRIPTOR;
        }

        const int segmented = segmentSize > 0 && length > segmentSize;
        const int32_t segments = segmented ? (length + segmentSize - 1) / segmentSize : 1;
        if (segments > SALVO_MAX_GSO_SEGMENTS || (segment > 0 && segment >= segments))
        {
            return SALVO_ERR_BAD_DESCRIPTOR;
        }

        /* One message per whole entry (plain or GSO), or one per segment without GSO. */
        const int perSegment = segmented && !gso;
        do
        {
            const int32_t start = segmented ? segment * segmentSize : 0;
            const int32_t remaining = length - start;
            const int32_t messageLength = perSegment && remaining > segmentSize ? segmentSize : remaining;

            struct mmsghdr *message = &messages[count];
            memset(message, 0, sizeof(*message));
            iovecs[count].iov_base = data + offset + start;
            iovecs[count].iov_len = (size_t)messageLength;
            message->msg_hdr.msg_name = entry + SALVO_SEND_ENTRY_ADDRESS;
            message->msg_hdr.msg_namelen = (socklen_t)addressLength;
            message->msg_hdr.msg_iov = &iovecs[count];
            message->msg_hdr.msg_iovlen = 1;
            if (segmented && gso && remaining > segmentSize)
            {
                unsigned char *control = controls + (size_t)count * controlSpace;
                memset(control, 0, controlSpace);
                message->msg_hdr.msg_control = control;
                message->msg_hdr.msg_controllen = controlSpace;
                struct cmsghdr *cmsg = CMSG_FIRSTHDR(&message->msg_hdr);
                cmsg->cmsg_level = SOL_UDP;
                cmsg->cmsg_type = UDP_SEGMENT;
                cmsg->cmsg_len = CMSG_LEN(sizeof(uint16_t));
                const uint16_t size = (uint16_t)segmentSize;
                memcpy(CMSG_DATA(cmsg), &size, sizeof(size));
            }
            count++;
            segment = perSegment ? segment + 1 : segments;
        }
        while (segment < segments && count < scratchMessages);

        if (segment < segments)
        {
            break; /* scratch full in the middle of an entry: Java resumes at this segment */
        }
        segment = 0;
    }

    int sent;
    do
    {
        sent = raw_sendmmsg(fd, messages, (unsigned int)count);
    }
    while (sent < 0 && EINTR == errno);

    return sent < 0 ? -errno : sent;
}
