package dev.tokencenter.wechat;

/**
 * A mini program call that did not give what was asked. Messages are written here: never a URL, a code, a
 * session_key, a token or a phone number, and never WeChat's errmsg (only its rid, for looking the call up).
 */
public final class MiniProgramCallException extends RuntimeException {

    /** Why the call failed. */
    public enum Failure {
        /** WeChat answered {@code {"errcode": N}} with N != 0. */
        ERRCODE,
        /** No answer within the connect/response timeouts. */
        TIMEOUT,
        /** An HTTP error status instead of a JSON body. */
        HTTP_STATUS,
        /** The call failed below HTTP (refused, reset, TLS). */
        TRANSPORT,
        /** An answer that is not what WeChat documents (not JSON, no openid, a session_key that is not 16 bytes). */
        MALFORMED
    }

    private final MiniProgramEndpoint endpoint;
    private final Failure failure;
    private final int errcode;
    private final int httpStatus;
    private final String rid;

    private MiniProgramCallException(MiniProgramEndpoint endpoint, Failure failure, int errcode, int httpStatus,
                                     String rid, String what) {
        super(endpoint.path() + " " + what, null, false, false);
        this.endpoint = endpoint;
        this.failure = failure;
        this.errcode = errcode;
        this.httpStatus = httpStatus;
        this.rid = rid;
    }

    public static MiniProgramCallException errcode(MiniProgramEndpoint endpoint, int errcode, String rid) {
        return new MiniProgramCallException(endpoint, Failure.ERRCODE, errcode, 0, rid,
                "answered errcode " + errcode + (rid.isEmpty() ? "" : " (rid " + rid + ")"));
    }

    public static MiniProgramCallException timeout(MiniProgramEndpoint endpoint, String what) {
        return new MiniProgramCallException(endpoint, Failure.TIMEOUT, 0, 0, "", "timed out: " + what);
    }

    public static MiniProgramCallException httpStatus(MiniProgramEndpoint endpoint, int status) {
        return new MiniProgramCallException(endpoint, Failure.HTTP_STATUS, 0, status, "", "answered HTTP " + status);
    }

    public static MiniProgramCallException transport(MiniProgramEndpoint endpoint, String what) {
        return new MiniProgramCallException(endpoint, Failure.TRANSPORT, 0, 0, "", "failed: " + what);
    }

    public static MiniProgramCallException malformed(MiniProgramEndpoint endpoint, String what) {
        return new MiniProgramCallException(endpoint, Failure.MALFORMED, 0, 0, "", "answered " + what);
    }

    public MiniProgramEndpoint endpoint() {
        return endpoint;
    }

    public Failure failure() {
        return failure;
    }

    /** WeChat's errcode for {@link Failure#ERRCODE}, else 0. */
    public int errcode() {
        return errcode;
    }

    /** The HTTP status for {@link Failure#HTTP_STATUS}, else 0. */
    public int httpStatus() {
        return httpStatus;
    }

    /** WeChat's request id from the errmsg ({@code rid: ...}), or empty. */
    public String rid() {
        return rid;
    }

    /** Whether the errcode says the access token was refused (40001 invalid, 42001 expired, 40014 not the latest). */
    public boolean tokenRejected() {
        return failure == Failure.ERRCODE && (errcode == 40001 || errcode == 42001 || errcode == 40014);
    }
}
