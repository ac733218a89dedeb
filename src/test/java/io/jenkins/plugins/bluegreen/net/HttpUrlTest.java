package io.jenkins.plugins.bluegreen.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpUrlTest {

    @ParameterizedTest
    @CsvSource({
        "https://k8s.example.com:6443, https://k8s.example.com:6443",
        "http://127.0.0.1:9090/, http://127.0.0.1:9090",
        "HTTPS://prometheus.example.com/prefix//, HTTPS://prometheus.example.com/prefix",
        "'  http://[::1]:9090  ', http://[::1]:9090",
    })
    void acceptsHttpAndHttpsAndDropsTrailingSlashes(String raw, String expected) {
        assertEquals(expected, HttpUrl.parse(raw).toString());
    }

    @ParameterizedTest
    @CsvSource({
        "'', MISSING",
        "'   ', MISSING",
        "file:///etc/passwd, SCHEME",
        "ftp://example.com/, SCHEME",
        "jar:file:/x.jar!/, SCHEME",
        "gopher://example.com, SCHEME",
        "mailto:ops@example.com, SCHEME",
        "example.com:9090, SCHEME",
        "/api/v1/query, MALFORMED",
        "http://exa mple.com, MALFORMED",
        "http:///path-only, NO_HOST",
        "https://k8s.example.com:70000, MALFORMED",
        "https://k8s.example.com:0, MALFORMED",
        "https://admin:hunter2@k8s.example.com, USER_INFO",
        "https://token@k8s.example.com, USER_INFO",
        "http://prom:9090/?token=abc, QUERY_OR_FRAGMENT",
        "http://prom:9090/#x, QUERY_OR_FRAGMENT",
    })
    void refusesEverythingElseWithTheReason(String raw, HttpUrl.Problem problem) {
        HttpUrl.InvalidUrlException e = assertThrows(HttpUrl.InvalidUrlException.class, () -> HttpUrl.parse(raw));
        assertEquals(problem, e.problem());
        assertEquals(problem.description(), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"https://admin:hunter2@k8s.example.com", "http://prom:9090/?token=hunter2"})
    void theMessageNeverRepeatsTheUrl(String raw) {
        HttpUrl.InvalidUrlException e = assertThrows(HttpUrl.InvalidUrlException.class, () -> HttpUrl.parse(raw));
        assertFalse(e.getMessage().contains("hunter2"));
    }
}
