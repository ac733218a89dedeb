package io.jenkins.plugins.bluegreen.smoke;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesNames;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs smoke checks against one colour before it gets any traffic: one GET per check, in order, nothing retried, and
 * the first failure stops the run with a {@link SmokeTestException} that says what was expected and what came back.
 * Latency is measured from sending the request to the end of the part of the body that is read (at most
 * {@value #BODY_LIMIT} bytes). A request gets its budget plus a margin (half the budget, from 0.5 s to 5 s), so that an
 * answer a little over budget is reported with its latency rather than as a timeout.
 *
 * <p>Messages quote a response body only when it is at most 200 characters, and never a request header.
 */
public final class SmokeTester {

    /** Bytes of a body that are read: enough for any health page, bounded for anything else. */
    public static final int BODY_LIMIT = 1024 * 1024;
    private static final int QUOTED_BODY_LIMIT = 200;

    private final Transport transport;

    SmokeTester(Transport transport) {
        this.transport = transport;
    }

    /**
     * Checks through a URL the user gives, such as {@code http://checkout-${color}.shop.svc:8080} or
     * {@code https://preview.example.com/${color}}; {@code ${color}}, {@code ${service}} and {@code ${namespace}} are
     * filled in for each run. The URL must reach the candidate colour only, not the live Service. No HTTP proxy is used.
     *
     * @throws IllegalArgumentException when the URL is not http(s), carries user info, a query or a fragment, or has
     *     an unknown placeholder
     */
    public static SmokeTester viaBaseUrl(String baseUrl) {
        return viaBaseUrl(baseUrl, HttpClient.newBuilder());
    }

    /**
     * As {@link #viaBaseUrl(String)}, with a client builder from the caller, e.g. one that honours Jenkins' proxy
     * settings for a URL outside the cluster. Connect timeout, redirects and HTTP version are set here.
     */
    public static SmokeTester viaBaseUrl(String baseUrl, HttpClient.Builder builder) {
        return new SmokeTester(new BaseUrlTransport(baseUrl, Objects.requireNonNull(builder, "builder")));
    }

    /**
     * Checks through the API server's service proxy to the colour's own Service {@code <service>-<color>}, with the
     * client's credentials and TLS settings: nothing needs to be exposed, and the build agent needs no route into the
     * cluster network. The measured latency includes the hop through the API server, so budgets should allow for it.
     * The client's identity needs {@code get} on {@code services/proxy} in the namespace. The client stays the
     * caller's to close.
     */
    public static SmokeTester viaServiceProxy(KubernetesClient client) {
        return new SmokeTester(new ServiceProxyTransport(Objects.requireNonNull(client, "client")));
    }

    /**
     * Runs the checks in order against {@code <service>-<color>} in {@code namespace}.
     *
     * @return one line per check, e.g. {@code smoke test GET /healthz on checkout-green: 200 in 12 ms}
     * @throws SmokeTestException at the first check that fails
     * @throws IllegalArgumentException when the names are not Kubernetes names or there is no check
     */
    public List<String> run(String namespace, String service, String color, List<SmokeCheck> checks) throws InterruptedException {
        Transport.Target target = target(namespace, service, color);
        if (checks == null || checks.isEmpty()) {
            throw new IllegalArgumentException("at least one smoke check is required");
        }
        List<String> passed = new ArrayList<>();
        for (SmokeCheck check : checks) {
            passed.add(run(target, Objects.requireNonNull(check, "check"), passed));
        }
        return List.copyOf(passed);
    }

    private String run(Transport.Target target, SmokeCheck check, List<String> passed) throws InterruptedException {
        String what = "smoke test GET " + check.path() + " on " + target.colorService() + ": ";
        Duration deadline = deadline(check.maxLatency());
        long start = System.nanoTime();
        Transport.Reply reply;
        try {
            reply = transport.get(target, check.path(), deadline);
        } catch (TimeoutException e) {
            throw new SmokeTestException(what + "no answer within " + deadline.toMillis() + " ms (budget "
                    + format(check.maxLatency()) + ")", check, passed);
        } catch (IOException e) {
            throw new SmokeTestException(what + "failed: " + e.getMessage(), check, passed);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (reply.status() != check.expectedStatus()) {
            throw new SmokeTestException(what + "expected status " + check.expectedStatus() + ", got " + reply.status()
                    + " (" + ms + " ms)" + evidence(reply), check, passed);
        }
        if (check.bodyContains() != null && !reply.body().text().contains(check.bodyContains())) {
            throw new SmokeTestException(what + "body does not contain " + SmokeCheck.quote(check.bodyContains())
                    + evidence(reply), check, passed);
        }
        if (ms > check.maxLatency().toMillis()) {
            throw new SmokeTestException(what + "took " + ms + " ms, over the budget of " + format(check.maxLatency()),
                    check, passed);
        }
        return what + reply.status() + " in " + ms + " ms";
    }

    private static Transport.Target target(String namespace, String service, String color) {
        if (!KubernetesNames.isNamespace(namespace)) {
            throw new IllegalArgumentException("namespace must be a Kubernetes name, got " + SmokeCheck.quote(namespace));
        }
        if (service == null || color == null || !KubernetesNames.isNamespace(service + "-" + color)) {
            throw new IllegalArgumentException("<service>-<color> must be a Kubernetes name, got "
                    + SmokeCheck.quote(service + "-" + color));
        }
        return new Transport.Target(namespace, service, color);
    }

    /** How long a request may take: the budget plus half of it, at least 500 ms and at most 5 s more. */
    static Duration deadline(Duration budget) {
        long margin = Math.min(5_000, Math.max(500, budget.toMillis() / 2));
        return budget.plusMillis(margin);
    }

    /** The transport's explanation, or a short body quoted; nothing for a long body. */
    private static String evidence(Transport.Reply reply) {
        if (reply.explanation() != null) {
            return ": " + reply.explanation();
        }
        String text = reply.body().text().strip();
        if (text.isEmpty() || text.length() > QUOTED_BODY_LIMIT) {
            return "";
        }
        return ": got \"" + oneLine(text, QUOTED_BODY_LIMIT) + "\"";
    }

    /** A budget as users write it: {@code 2s}, {@code 500ms}, {@code 1m}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** Text for a one-line message: control characters become spaces, and it is cut at {@code max} characters. */
    static String oneLine(String text, int max) {
        String flat = text.codePoints()
                .map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString()
                .replaceAll(" {2,}", " ")
                .strip();
        return flat.length() <= max ? flat : flat.substring(0, max) + "...";
    }
}
