/* Waiting for readability, so idle upper layers sleep in the kernel instead of spinning. */
#include "salvo.h"

#include <errno.h>
#include <poll.h>
#include <time.h>

/*
 * Waits until the socket is readable, the wake-up eventfd (if wakeupFd >= 0) is signalled, or the
 * timeout passes. Returns 1 when the socket is readable (or in error/hang-up, so the next receive
 * reports it), 2 when only the wake-up fired (it is drained), 0 on timeout or EINTR.
 */
JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_pollReadable(
    JNIEnv *env, jclass cls, jint fd, jint wakeupFd, jlong timeoutNanos)
{
    (void)env;
    (void)cls;
    if (fd < 0 || wakeupFd < -1 || timeoutNanos < 0)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    struct pollfd pfd[2] = {
        { .fd = fd, .events = POLLIN, .revents = 0 },
        { .fd = wakeupFd, .events = POLLIN, .revents = 0 }
    };
    const nfds_t count = wakeupFd >= 0 ? 2 : 1;
    struct timespec timeout = {
        .tv_sec = (time_t)(timeoutNanos / 1000000000LL),
        .tv_nsec = (long)(timeoutNanos % 1000000000LL)
    };
    const int result = ppoll(pfd, count, &timeout, NULL);
    if (result < 0)
    {
        return EINTR == errno ? 0 : -errno;
    }
    if (0 == result)
    {
        return 0;
    }
    if ((pfd[0].revents & POLLNVAL) || (count > 1 && (pfd[1].revents & POLLNVAL)))
    {
        return -EBADF;
    }
    if (count > 1 && (pfd[1].revents & POLLIN))
    {
        const int drained = salvo_drain_wakeup(wakeupFd);
        if (drained < 0)
        {
            return drained;
        }
        if (0 == pfd[0].revents)
        {
            return 2;
        }
    }
    return 1;
}
