package dev.tokencenter.wechat;

/**
 * What {@code getuserphonenumber} answered ({@code phone_info}); {@code countryCode} always as a string, whether
 * WeChat sent a string or a number. {@link #toString()} never shows the number.
 */
public record UpstreamPhoneNumber(String phoneNumber, String purePhoneNumber, String countryCode,
                                  long watermarkTimestamp, String watermarkAppid) {

    @Override
    public String toString() {
        return "UpstreamPhoneNumber[countryCode=" + countryCode + ", watermarkAppid=" + watermarkAppid + ", number hidden]";
    }
}
