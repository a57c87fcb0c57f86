/* Error text for Java's exceptions: strerror_r on the error path only. */
#include "salvo.h"

#include <stdio.h>
#include <string.h>

JNIEXPORT jstring JNICALL Java_dev_salvo_io_NativeIo_errorText(JNIEnv *env, jclass cls, jint errnum)
{
    (void)cls;
    char text[256];
    text[0] = '\0';
    /* GNU strerror_r may return a static string instead of filling the buffer. */
    const char *message = strerror_r(errnum, text, sizeof(text));
    if (NULL == message)
    {
        snprintf(text, sizeof(text), "errno %d", errnum);
        message = text;
    }
    return (*env)->NewStringUTF(env, message);
}
