/*
 * JNI entry point and layout export: Java asks for every size, offset and constant it relies on
 * and refuses the shim (falling back to NIO) if any disagrees with its own descriptors.
 */
#include "salvo.h"

#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/uio.h>

JNIEXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)vm;
    (void)reserved;
    return JNI_VERSION_1_8;
}

/* Keys must match dev.salvo.io.NativeIo.LAYOUT_* constants. */
enum salvo_layout_key
{
    LAYOUT_VERSION = 0,
    LAYOUT_AF_INET,
    LAYOUT_AF_INET6,
    LAYOUT_SOCKADDR_IN_SIZE,
    LAYOUT_SOCKADDR_IN6_SIZE,
    LAYOUT_SIN_FAMILY_OFFSET,
    LAYOUT_SIN_PORT_OFFSET,
    LAYOUT_SIN_ADDR_OFFSET,
    LAYOUT_SIN6_FAMILY_OFFSET,
    LAYOUT_SIN6_PORT_OFFSET,
    LAYOUT_SIN6_FLOWINFO_OFFSET,
    LAYOUT_SIN6_ADDR_OFFSET,
    LAYOUT_SIN6_SCOPE_ID_OFFSET,
    LAYOUT_SEND_ENTRY_LENGTH,
    LAYOUT_SEND_SCRATCH_PER_MESSAGE,
    LAYOUT_RECV_SLOT_LENGTH,
    LAYOUT_RECV_SCRATCH_PER_SLOT,
    LAYOUT_MAX_MESSAGES_PER_CALL,
    LAYOUT_EAGAIN,
    LAYOUT_EWOULDBLOCK,
    LAYOUT_EBADF,
    LAYOUT_EIO,
    LAYOUT_EINVAL,
    LAYOUT_EINTR,
    LAYOUT_MSG_TRUNC,
    LAYOUT_MSG_CTRUNC,
    LAYOUT_RECV_SLOT_CONTROL,
    LAYOUT_SEND_ENTRY_ADDRESS,
    LAYOUT_RECV_SLOT_ADDRESS,
    LAYOUT_EMSGSIZE,
    LAYOUT_KEY_COUNT
};

JNIEXPORT jint JNICALL Java_dev_salvo_io_NativeIo_layout(JNIEnv *env, jclass cls, jint key)
{
    (void)env;
    (void)cls;
    switch (key)
    {
        case LAYOUT_VERSION: return 2; /* 2: blocking socket + MSG_DONTWAIT, receiveBatchWaiting, setReceiveTimeout */
        case LAYOUT_AF_INET: return AF_INET;
        case LAYOUT_AF_INET6: return AF_INET6;
        case LAYOUT_SOCKADDR_IN_SIZE: return (jint)sizeof(struct sockaddr_in);
        case LAYOUT_SOCKADDR_IN6_SIZE: return (jint)sizeof(struct sockaddr_in6);
        case LAYOUT_SIN_FAMILY_OFFSET: return (jint)offsetof(struct sockaddr_in, sin_family);
        case LAYOUT_SIN_PORT_OFFSET: return (jint)offsetof(struct sockaddr_in, sin_port);
        case LAYOUT_SIN_ADDR_OFFSET: return (jint)offsetof(struct sockaddr_in, sin_addr);
        case LAYOUT_SIN6_FAMILY_OFFSET: return (jint)offsetof(struct sockaddr_in6, sin6_family);
        case LAYOUT_SIN6_PORT_OFFSET: return (jint)offsetof(struct sockaddr_in6, sin6_port);
        case LAYOUT_SIN6_FLOWINFO_OFFSET: return (jint)offsetof(struct sockaddr_in6, sin6_flowinfo);
        case LAYOUT_SIN6_ADDR_OFFSET: return (jint)offsetof(struct sockaddr_in6, sin6_addr);
        case LAYOUT_SIN6_SCOPE_ID_OFFSET: return (jint)offsetof(struct sockaddr_in6, sin6_scope_id);
        case LAYOUT_SEND_ENTRY_LENGTH: return SALVO_SEND_ENTRY_LENGTH;
        case LAYOUT_SEND_SCRATCH_PER_MESSAGE: return (jint)salvo_send_scratch_per_message();
        case LAYOUT_RECV_SLOT_LENGTH: return SALVO_RECV_SLOT_LENGTH;
        case LAYOUT_RECV_SCRATCH_PER_SLOT: return (jint)salvo_receive_scratch_per_slot();
        case LAYOUT_MAX_MESSAGES_PER_CALL: return SALVO_MAX_MESSAGES_PER_CALL;
        case LAYOUT_EAGAIN: return EAGAIN;
        case LAYOUT_EWOULDBLOCK: return EWOULDBLOCK;
        case LAYOUT_EBADF: return EBADF;
        case LAYOUT_EIO: return EIO;
        case LAYOUT_EINVAL: return EINVAL;
        case LAYOUT_EINTR: return EINTR;
        case LAYOUT_MSG_TRUNC: return MSG_TRUNC;
        case LAYOUT_MSG_CTRUNC: return MSG_CTRUNC;
        case LAYOUT_RECV_SLOT_CONTROL: return SALVO_RECV_SLOT_CONTROL;
        case LAYOUT_SEND_ENTRY_ADDRESS: return SALVO_SEND_ENTRY_ADDRESS;
        case LAYOUT_RECV_SLOT_ADDRESS: return SALVO_RECV_SLOT_ADDRESS;
        case LAYOUT_EMSGSIZE: return EMSGSIZE;
        default: return -1;
    }
}
