/*
 * Waking a thread parked in pollReadable from another thread: an eventfd polled together with the
 * socket. Java signals it only while the I/O thread is parked (see dev.salvo.io.WakeupState), so
 * a busy transport makes no wake-up system calls.
 */
#include "salvo.h"

#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_openWakeup(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    const int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

/* Adds 1 to the eventfd counter; a full counter (EAGAIN) already means "signalled". */
JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_signalWakeup(JNIEnv *env, jclass cls, jint fd)
{
    (void)env;
    (void)cls;
    if (fd < 0)
    {
        return SALVO_ERR_BAD_ARGUMENT;
    }
    const uint64_t one = 1;
    const ssize_t result = write(fd, &one, sizeof(one));
    if (result < 0)
    {
        return EAGAIN == errno ? 0 : -errno;
    }
    return 0;
}

/* Resets the eventfd counter (non-blocking read); called by the poller after a wake-up. */
int salvo_drain_wakeup(const int fd)
{
    uint64_t value;
    const ssize_t result = read(fd, &value, sizeof(value));
    if (result < 0 && EAGAIN != errno && EINTR != errno)
    {
        return -errno;
    }
    return 0;
}
