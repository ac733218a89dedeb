package io.jenkins.plugins.bluegreen.testinfra;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * TEST CODE: a fault proxy on 127.0.0.1 in front of one server (the mock API server, a real Prometheus), built on
 * WireMock's proxying and faults. Every request goes through to the server unchanged unless a rule says otherwise:
 *
 * <pre>
 * FaultProxy api = FaultProxy.on(mock.server.url("/"));
 * api.fail(Request.patch("/apis/networking.istio.io/.*"), Fault.status(503), Times.times(3));
 * api.fail(Request.any(".*"), Fault.latency(Duration.ofSeconds(2)), Times.always());
 * </pre>
 *
 * A rule applies to the requests its {@link Request} matches (method and path pattern, optionally only once a
 * condition holds), for a number of requests or for a time from its first use. Rules added later win.
 */
public final class FaultProxy implements AutoCloseable {

    private static final int PROXY_PRIORITY = 100;

    private final WireMockServer server;
    private final String target;
    private final List<Rule> rules = new ArrayList<>();
    private final Map<UUID, Rule> byStub = new ConcurrentHashMap<>();
    private int nextPriority = PROXY_PRIORITY - 1;

    private FaultProxy(String target) {
        this.target = target.replaceAll("/$", "");
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(40)
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(20).gzipDisabled(true)
                .stubRequestLoggingDisabled(true).disableRequestJournal().extensions(new ServeEventListener() {
                    @Override
                    public void afterMatch(ServeEvent event, Parameters parameters) {
                        Rule rule = event.getStubMapping() == null ? null : byStub.get(event.getStubMapping().getId());
                        if (rule != null) {
                            rule.applied.incrementAndGet();
                        }
                    }

                    @Override
                    public String getName() {
                        return "fault-counter";
                    }
                }));
        server.start();
        server.stubFor(any(urlPathMatching(".*")).atPriority(PROXY_PRIORITY).willReturn(aResponse().proxiedFrom(this.target)));
    }

    /** A proxy in front of {@code target} (e.g. {@code http://127.0.0.1:34567}), passing everything through. */
    public static FaultProxy on(String target) {
        return new FaultProxy(target);
    }

    public static FaultProxy on(URI target) {
        return on(target.toString());
    }

    /** Where clients reach the server through the proxy, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Answers the requests {@code which} matches with {@code fault}, for {@code times}; returns the rule, to count it. */
    public synchronized Rule fail(Request which, Fault fault, Times times) {
        // a rule added later wins over earlier ones
        int priority = Math.max(1, nextPriority--);
        Rule rule = new Rule(which, fault, times);
        String scenario = "fault-" + UUID.randomUUID();
        int steps = times.count > 0 ? times.count : 1;
        for (int i = 0; i < steps; i++) {
            MappingBuilder b = request(which.method, urlPathMatching(which.pathPattern)).atPriority(priority)
                    .andMatching(rule.matcher()).willReturn(fault.response(target));
            if (times.count > 0) {
                b = b.inScenario(scenario).whenScenarioStateIs(i == 0 ? Scenario.STARTED : "after-" + i)
                        .willSetStateTo("after-" + (i + 1));
            }
            StubMapping stub = server.stubFor(b);
            rule.stubs.add(stub.getId());
            byStub.put(stub.getId(), rule);
        }
        rules.add(rule);
        return rule;
    }

    /** Removes every rule: everything passes through again. */
    public synchronized void clear() {
        for (Rule r : rules) {
            r.stubs.forEach(server::removeStubMapping);
        }
        rules.clear();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Which requests a rule applies to. */
    public static final class Request {
        final String method;
        final String pathPattern;
        final BooleanSupplier armed;

        private Request(String method, String pathPattern, BooleanSupplier armed) {
            this.method = method;
            this.pathPattern = pathPattern;
            this.armed = armed;
        }

        public static Request get(String pathPattern) {
            return new Request("GET", pathPattern, () -> true);
        }

        public static Request post(String pathPattern) {
            return new Request("POST", pathPattern, () -> true);
        }

        public static Request put(String pathPattern) {
            return new Request("PUT", pathPattern, () -> true);
        }

        public static Request patch(String pathPattern) {
            return new Request("PATCH", pathPattern, () -> true);
        }

        public static Request delete(String pathPattern) {
            return new Request("DELETE", pathPattern, () -> true);
        }

        /** Any method. */
        public static Request any(String pathPattern) {
            return new Request("ANY", pathPattern, () -> true);
        }

        /** Only once {@code condition} holds (checked at each request), e.g. once a rollout reached a phase. */
        public Request when(BooleanSupplier condition) {
            return new Request(method, pathPattern, () -> armed.getAsBoolean() && condition.getAsBoolean());
        }

        @Override
        public String toString() {
            return ("ANY".equals(method) ? "any" : method) + " " + pathPattern;
        }
    }

    /** How long a rule applies. */
    public static final class Times {
        final int count;
        final Duration duration;

        private Times(int count, Duration duration) {
            this.count = count;
            this.duration = duration;
        }

        /** To the first {@code n} matching requests. */
        public static Times times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("n must be positive");
            }
            return new Times(n, null);
        }

        /** To every matching request, until {@link #clear}. */
        public static Times always() {
            return new Times(0, null);
        }

        /** To every matching request for {@code duration} from the first one it applied to. */
        public static Times during(Duration duration) {
            return new Times(0, duration);
        }
    }

    /** What the proxy answers instead of the server. */
    public static final class Fault {
        private final String name;
        private final java.util.function.Function<String, ResponseDefinitionBuilder> response;

        private Fault(String name, java.util.function.Function<String, ResponseDefinitionBuilder> response) {
            this.name = name;
            this.response = response;
        }

        ResponseDefinitionBuilder response(String target) {
            return response.apply(target);
        }

        /** The server's own answer, {@code delay} late. */
        public static Fault latency(Duration delay) {
            return new Fault("latency " + delay.toMillis() + " ms",
                    t -> aResponse().proxiedFrom(t).withFixedDelay(Math.toIntExact(delay.toMillis())));
        }

        /** HTTP {@code status} with a short JSON body, as an overloaded server or a gateway in front of it answers. */
        public static Fault status(int status) {
            return new Fault("HTTP " + status, t -> aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                    .withBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + status + "}"));
        }

        /** HTTP 429 with {@code Retry-After: seconds}. */
        public static Fault tooManyRequests(int retryAfterSeconds) {
            return new Fault("HTTP 429, Retry-After " + retryAfterSeconds + " s", t -> aResponse().withStatus(429)
                    .withHeader("Retry-After", Integer.toString(retryAfterSeconds))
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":429}"));
        }

        /** No answer for ten minutes, and the request never reaches the server: the client's timeout decides. */
        public static Fault hang() {
            return new Fault("no answer", t -> aResponse().withStatus(504).withFixedDelay(600_000));
        }

        /** The connection reset before any answer. */
        public static Fault reset() {
            return new Fault("connection reset",
                    t -> aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER));
        }

        /** 200 with a JSON body cut off half-way. */
        public static Fault truncated() {
            return new Fault("truncated body", t -> aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody("{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"chec"));
        }

        /** 200 with a body that is not JSON at all. */
        public static Fault malformed() {
            return new Fault("malformed body", t -> aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody("<html>gateway says hello</html>"));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A rule in force: how many requests it answered. */
    public static final class Rule {
        final Request request;
        final Fault fault;
        final Times times;
        final List<UUID> stubs = new ArrayList<>();
        private final AtomicInteger applied = new AtomicInteger();
        private final AtomicReference<Instant> firstUse = new AtomicReference<>();

        Rule(Request request, Fault fault, Times times) {
            this.request = request;
            this.fault = fault;
            this.times = times;
        }

        /** The rule's condition and time bound; evaluated once per request and stub. */
        ValueMatcher<com.github.tomakehurst.wiremock.http.Request> matcher() {
            return r -> {
                if (!request.armed.getAsBoolean()) {
                    return MatchResult.noMatch();
                }
                if (times.duration != null) {
                    Instant first = firstUse.updateAndGet(f -> f == null ? Instant.now() : f);
                    if (Instant.now().isAfter(first.plus(times.duration))) {
                        return MatchResult.noMatch();
                    }
                }
                return MatchResult.exactMatch();
            };
        }

        /** How many requests this rule answered with its fault so far. */
        public int applied() {
            return applied.get();
        }

        @Override
        public String toString() {
            return fault + " on " + request;
        }
    }

}
