package dev.tokencenter.support;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The forms {@link LeakSearch} looks for find a value wherever an encoder could have put it. */
class LeakSearchTest {

    @Test
    void findsAValueEncodedInsideALongerTextAtEveryAlignment() {
        String phone = "+8613800138000";
        for (String before : new String[] {"", "a", "ab", "abc", "{\"phoneNumber\":\""}) {
            byte[] document = (before + phone + "\",\"x\":1}").getBytes(StandardCharsets.UTF_8);
            String standard = Base64.getEncoder().encodeToString(document);
            String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(document);
            String hex = HexFormat.of().formatHex(document);
            assertThat(LeakSearch.forms(phone)).as("after '%s'", before)
                    .anyMatch(standard::contains).anyMatch(urlSafe::contains).anyMatch(hex::contains);
        }
    }

    @Test
    void findsABase64KeyByItsDecodedBytesToo() {
        String sessionKey = "tiihtNczf5v6AKRyjwEUhQ==";
        String rawHex = HexFormat.of().formatHex(Base64.getDecoder().decode(sessionKey));

        assertThat(LeakSearch.forms(sessionKey)).contains(sessionKey, rawHex);
        assertThat(LeakSearch.forms("unrelated-value")).noneMatch(form -> form.equals(rawHex));
    }
}
