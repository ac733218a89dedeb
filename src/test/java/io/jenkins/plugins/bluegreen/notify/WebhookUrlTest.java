package io.jenkins.plugins.bluegreen.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook URL rule: https, or http to this machine only; a query is fine (it may be the token); no user info. */
class WebhookUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.slack.com/services/T000/B000/XXXX",
            "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=XYZ",
            "http://127.0.0.1:8080/hooks/x", "http://localhost/hook", "http://[::1]:9000/hook", "HTTPS://chat.example.com/hook"})
    void accepted(String url) {
        assertEquals(url, WebhookUrl.parse(url).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://hooks.slack.com/services/T000/B000/XXXX | it is http, not https",
            "http://10.0.0.5/hook | it is http, not https",
            "ftp://hooks.example.com/x | it is not an https URL",
            "hooks.slack.com/services/x | it is not an https URL",
            "https://user:pass@hooks.example.com/x | it contains a user name or password",
            "https://hooks.example.com/x#frag | it has a fragment",
            "https:///nohost | it has no host",
            "'https://hooks.example.com/a b' | it is not a well-formed URL",
            "'  ' | it is empty"})
    void refusedNamingTheRuleButNeverTheUrl(String url, String rule) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookUrl.parse(url));
        assertEquals(true, e.getMessage().startsWith(rule), e.getMessage());
        if (!url.isBlank()) {
            assertFalse(e.getMessage().contains(url.trim()), "the URL is the secret: " + e.getMessage());
            assertFalse(e.getMessage().contains("hooks."), e.getMessage());
        }
    }
}
