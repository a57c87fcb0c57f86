/* Waiting for readability, so idle upper layers sleep in the kernel instead of spinning. */
#include "salvo.h"

#include <errno.h>
#include <poll.h>
#include <time.h>

/* Returns 1 when readable (or in error/hang-up, so the next receive reports it), 0 on timeout or EINTR. */
JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_pollReadable(JNIEnv *env, jclass cls, jint fd, jlong timeoutNanos)
{
    (void)env;
    (void)cls;
    if (fd < 0 || timeoutNanos < 0)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    struct pollfd pfd = { .fd = fd, .events = POLLIN, .revents = 0 };
    struct timespec timeout = {
        .tv_sec = (time_t)(timeoutNanos / 1000000000LL),
        .tv_nsec = (long)(timeoutNanos % 1000000000LL)
    };
    const int result = ppoll(&pfd, 1, &timeout, NULL);
    if (result < 0)
    {
        return EINTR == errno ? 0 : -errno;
    }
    if (0 == result)
    {
        return 0;
    }
    if (pfd.revents & POLLNVAL)
    {
        return -EBADF;
    }
    return 1;
}
