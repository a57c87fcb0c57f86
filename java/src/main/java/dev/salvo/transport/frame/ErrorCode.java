/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.frame;

/**
 * Error codes: carried in CLOSE frames, and returned (negated) by the connection core when a peer's
 * packet is rejected. Codes below {@link #APPLICATION_BASE} are Salvo's own.
 */
public final class ErrorCode
{
    /** Graceful close. */
    public static final int NO_ERROR = 0;

    /** The implementation failed. */
    public static final int INTERNAL_ERROR = 1;

    /** A frame could not be decoded: truncated, unknown type, field out of range. */
    public static final int FRAME_ENCODING_ERROR = 2;

    /** A well-formed frame broke the protocol: e.g. acknowledged a packet number never sent. */
    public static final int PROTOCOL_VIOLATION = 3;

    /** The peer sent more message bytes than this side granted with MAX_DATA. */
    public static final int FLOW_CONTROL_ERROR = 4;

    /** The peer announced a message larger than this side's maximum message size. */
    public static final int MESSAGE_TOO_LARGE = 5;

    /** The peer used a message id beyond the message-id window. */
    public static final int MESSAGE_ID_ERROR = 6;

    /** The peer stopped responding (idle timeout); never sent on the wire. */
    public static final int IDLE_TIMEOUT = 7;

    /** First code available to applications. */
    public static final int APPLICATION_BASE = 0x100;

    /** The application aborted the connection ({@code Connection.abort()}, a refused inbound connection). */
    public static final int APPLICATION_ABORT = APPLICATION_BASE;

    private ErrorCode()
    {
    }

    /** @return a short name for logs and stats. */
    public static String name(final int code)
    {
        switch (code)
        {
            case NO_ERROR: return "NO_ERROR";
            case INTERNAL_ERROR: return "INTERNAL_ERROR";
            case FRAME_ENCODING_ERROR: return "FRAME_ENCODING_ERROR";
            case PROTOCOL_VIOLATION: return "PROTOCOL_VIOLATION";
            case FLOW_CONTROL_ERROR: return "FLOW_CONTROL_ERROR";
            case MESSAGE_TOO_LARGE: return "MESSAGE_TOO_LARGE";
            case MESSAGE_ID_ERROR: return "MESSAGE_ID_ERROR";
            case IDLE_TIMEOUT: return "IDLE_TIMEOUT";
            case APPLICATION_ABORT: return "APPLICATION_ABORT";
            default: return code >= APPLICATION_BASE ? "APPLICATION(" + code + ")" : "UNKNOWN(" + code + ")";
        }
    }
}
