/*
 * Socket setup: an unconnected UDP socket with large buffers and path-MTU discovery set to DO (the
 * host never fragments), plus the GSO probe, the GRO switch and the receive timeout.
 *
 * The socket is created WITHOUT O_NONBLOCK: every call that must not sleep passes MSG_DONTWAIT
 * (sendmmsg in salvo_send.c, including the per-segment resend after a GSO rejection, and the plain
 * receiveBatch), and only the waiting receive (recvmmsg with MSG_WAITFORONE, bounded by SO_RCVTIMEO)
 * sleeps in the kernel. That gives a receiver one system call per wake-up instead of
 * recvmmsg (EAGAIN) + ppoll + recvmmsg.
 */
#include "salvo.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

/* Option keys for getSocketOption; must match dev.salvo.io.NativeIo.OPTION_*. */
#define SALVO_OPTION_SNDBUF 1
#define SALVO_OPTION_RCVBUF 2

static int set_int_option(const int fd, const int level, const int name, const int value)
{
    return setsockopt(fd, level, name, &value, sizeof(value)) == 0 ? 0 : -errno;
}

JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_openSocket(
    JNIEnv *env, jclass cls, jlong sockaddrAddress, jint sockaddrLength, jint sendBufferSize, jint receiveBufferSize,
    jboolean forceBufferSizes)
{
    (void)env;
    (void)cls;
    if (0 == sockaddrAddress || sendBufferSize < 0 || receiveBufferSize < 0)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    if (sockaddrLength != (jint)sizeof(struct sockaddr_in) && sockaddrLength != (jint)sizeof(struct sockaddr_in6))
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }

    const struct sockaddr *address = (const struct sockaddr *)(uintptr_t)sockaddrAddress;
    const int family = address->sa_family;
    if ((AF_INET == family && sockaddrLength != (jint)sizeof(struct sockaddr_in)) ||
        (AF_INET6 == family && sockaddrLength != (jint)sizeof(struct sockaddr_in6)) ||
        (AF_INET != family && AF_INET6 != family))
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }

    const int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
    if (fd < 0)
    {
        return -errno;
    }

    int result = 0;
    if (AF_INET == family)
    {
        result = set_int_option(fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO);
    }
    else
    {
        result = set_int_option(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DO);
        if (0 == result)
        {
            /* Dual-stack sockets also carry IPv4-mapped traffic: never fragment that either. */
            const int mapped = set_int_option(fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO);
            (void)mapped;
        }
    }
    /*
     * The plain options are capped at net.core.wmem_max/rmem_max (often 208 KiB to 4 MiB), far below
     * what a batched sender needs. With CAP_NET_ADMIN the *FORCE variants bypass the cap; without it
     * they fail with EPERM and the capped request is the best we can do. Java reports what was granted.
     * Without forceBufferSizes the caps are kept, as for an unprivileged process.
     */
    if (0 == result && sendBufferSize > 0 &&
        (!forceBufferSizes || set_int_option(fd, SOL_SOCKET, SO_SNDBUFFORCE, sendBufferSize) != 0))
    {
        result = set_int_option(fd, SOL_SOCKET, SO_SNDBUF, sendBufferSize);
    }
    if (0 == result && receiveBufferSize > 0 &&
        (!forceBufferSizes || set_int_option(fd, SOL_SOCKET, SO_RCVBUFFORCE, receiveBufferSize) != 0))
    {
        result = set_int_option(fd, SOL_SOCKET, SO_RCVBUF, receiveBufferSize);
    }
    if (0 == result && bind(fd, address, (socklen_t)sockaddrLength) != 0)
    {
        result = -errno;
    }
    if (0 != result)
    {
        close(fd);
        return result;
    }

    return fd;
}

JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_getSocketOption(JNIEnv *env, jclass cls, jint fd, jint option)
{
    (void)env;
    (void)cls;
    int name;
    switch (option)
    {
        case SALVO_OPTION_SNDBUF: name = SO_SNDBUF; break;
        case SALVO_OPTION_RCVBUF: name = SO_RCVBUF; break;
        default: return SALVO_ERR_BAD_ARGUMENT;
    }
    int value = 0;
    socklen_t length = sizeof(value);
    if (getsockopt(fd, SOL_SOCKET, name, &value, &length) != 0)
    {
        return -errno;
    }
    return value;
}

JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_localAddress(
    JNIEnv *env, jclass cls, jint fd, jlong sockaddrAddress, jint capacity)
{
    (void)env;
    (void)cls;
    if (0 == sockaddrAddress || capacity < (jint)sizeof(struct sockaddr_in6))
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    socklen_t length = (socklen_t)capacity;
    if (getsockname(fd, (struct sockaddr *)(uintptr_t)sockaddrAddress, &length) != 0)
    {
        return -errno;
    }
    return (jint)length;
}

/*
 * GSO probe: UDP_SEGMENT must be settable, and is reset to 0 straight away so that the per-send
 * cmsg alone decides segmentation (a socket-wide size would also segment plain sends; quinn #2575).
 */
JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_probeGso(JNIEnv *env, jclass cls, jint fd)
{
    (void)env;
    (void)cls;
    const int probe = set_int_option(fd, SOL_UDP, UDP_SEGMENT, 1200);
    if (0 != probe)
    {
        return probe;
    }
    return set_int_option(fd, SOL_UDP, UDP_SEGMENT, 0);
}

JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_enableGro(JNIEnv *env, jclass cls, jint fd)
{
    (void)env;
    (void)cls;
    return set_int_option(fd, SOL_UDP, UDP_GRO, 1);
}

/*
 * SO_RCVTIMEO for the waiting receive, from nanoseconds rounded up to whole microseconds (the kernel
 * rounds up again to its timer tick). 0 is refused: to the kernel it means "wait forever", and Java
 * never waits without a bound; bounds beyond what the kernel can represent also mean "forever".
 */
JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_setReceiveTimeout(JNIEnv *env, jclass cls, jint fd, jlong timeoutNanos)
{
    (void)env;
    (void)cls;
    if (fd < 0 || timeoutNanos <= 0)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    const jlong micros = timeoutNanos / 1000 + (timeoutNanos % 1000 != 0 ? 1 : 0);
    const struct timeval timeout = {
        .tv_sec = (time_t)(micros / 1000000),
        .tv_usec = (suseconds_t)(micros % 1000000)
    };
    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) == 0 ? 0 : -errno;
}

/*
 * Wakes any thread polling this socket or sleeping in the waiting receive (even unconnected UDP
 * sockets get the wake-up: the receive side is marked shut down, so a recvmmsg returns at once).
 */
JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_shutdownSocket(JNIEnv *env, jclass cls, jint fd)
{
    (void)env;
    (void)cls;
    const int result = shutdown(fd, SHUT_RDWR);
    return (result == 0 || ENOTCONN == errno) ? 0 : -errno;
}

JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_closeSocket(JNIEnv *env, jclass cls, jint fd)
{
    (void)env;
    (void)cls;
    /* Linux always releases the descriptor, even on EINTR: never retry close. */
    return close(fd) == 0 ? 0 : -errno;
}

/*
 * Generic integer setsockopt. Used by tests to provoke kernel behaviour (e.g. SO_NO_CHECK makes
 * the kernel reject GSO sends with EINVAL), and by callers needing an option Java cannot name.
 */
JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_setIntOption(
    JNIEnv *env, jclass cls, jint fd, jint level, jint name, jint value)
{
    (void)env;
    (void)cls;
    return set_int_option(fd, level, name, value);
}
