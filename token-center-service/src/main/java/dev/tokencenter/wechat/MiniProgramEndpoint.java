package dev.tokencenter.wechat;

/** The mini program calls the center makes for its clients (login, login-state check, phone number). */
public enum MiniProgramEndpoint {

    /** {@code GET /sns/jscode2session}: a {@code wx.login()} code for the user's openid and session_key. */
    JSCODE2SESSION("/sns/jscode2session"),
    /** {@code GET /wxa/checksession}: whether a session_key is still the user's current one. */
    CHECK_SESSION("/wxa/checksession"),
    /** {@code POST /wxa/business/getuserphonenumber}: a phone code for the user's phone number. */
    PHONE_NUMBER("/wxa/business/getuserphonenumber");

    private final String path;

    MiniProgramEndpoint(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
