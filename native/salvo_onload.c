/* JNI entry point: checks the JNI version the shim needs. */
#include <jni.h>

#define SALVO_EXPORT __attribute__((visibility("default")))

SALVO_EXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)vm;
    (void)reserved;
    return JNI_VERSION_1_8;
}
