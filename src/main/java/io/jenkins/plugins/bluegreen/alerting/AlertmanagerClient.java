package io.jenkins.plugins.bluegreen.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import io.jenkins.plugins.bluegreen.net.JsonHttpClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A small client for Alertmanager's API v2 (0.22 and later): silences (create, read, extend, expire) and the alerts
 * that fire now. It shares {@link JsonHttpClient}'s transport with the Prometheus client: the caller's
 * {@link HttpTransport} (in Jenkins, one for the whole plugin, with its proxy settings), credentials on each request,
 * TLS verified, no redirects, and messages without credentials or bodies.
 */
public class AlertmanagerClient extends JsonHttpClient<AlertmanagerException> {

    /** Silence IDs are UUIDs; anything else never reaches a URL path. */
    private static final Pattern SILENCE_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final AlertmanagerEndpoint endpoint;

    public AlertmanagerClient(AlertmanagerEndpoint endpoint, HttpTransport transport) {
        super("Alertmanager", endpoint, transport);
        this.endpoint = endpoint;
    }

    public AlertmanagerEndpoint endpoint() {
        return endpoint;
    }

    @Override
    protected AlertmanagerException failure(String message, int status) {
        return new AlertmanagerException(message, status);
    }

    /**
     * Checks address, TLS, credentials and API with {@code /api/v2/status}.
     *
     * @return the Alertmanager version
     */
    public String checkConnection() throws AlertmanagerException, InterruptedException {
        JsonNode status = expect(send(request("/api/v2/status").GET()), JsonNode::isObject, "a status");
        String version = status.path("versionInfo").path("version").asText("");
        return version.isEmpty() ? "unknown" : version;
    }

    /**
     * Creates a silence ({@code POST /api/v2/silences}).
     *
     * @return its ID
     */
    public String createSilence(SilenceRequest request) throws AlertmanagerException, InterruptedException {
        return postSilence(null, request);
    }

    /**
     * Changes a silence ({@code POST /api/v2/silences} with its ID). Alertmanager changes it in place only while its
     * matchers and (once it is active) its start stay the same and it has not expired; otherwise it expires the old
     * silence and creates a new one.
     *
     * @return the ID of the silence now in force: the same, or the new one, which the caller must keep instead
     */
    public String updateSilence(String id, SilenceRequest request) throws AlertmanagerException, InterruptedException {
        return postSilence(checkedId(id), request);
    }

    /**
     * Moves a silence's end to {@code endsAt}, keeping its matchers, start, author and comment, so that Alertmanager
     * changes it in place. A silence that has expired (someone may have expired it on purpose) is never re-created,
     * and an end that is not later than the current one changes nothing: both return the silence as it is.
     *
     * @return the silence as Alertmanager now holds it
     * @throws AlertmanagerException with status 404 when Alertmanager has no such silence
     */
    public Silence extendSilence(String id, Instant endsAt) throws AlertmanagerException, InterruptedException {
        Silence current = silence(id).orElseThrow(() -> notFound(id));
        if (current.isExpired() || !endsAt.isAfter(current.endsAt())) {
            return current;
        }
        String now = postSilence(current.id(), current.matchers(), current.startsAt(), endsAt, current.createdBy(),
                current.comment());
        return silence(now).orElseThrow(() -> notFound(now));
    }

    /**
     * Expires a silence now ({@code DELETE /api/v2/silence/{id}}). Expiring an expired silence is allowed.
     *
     * @return false when Alertmanager has no such silence (it may have lost it, without persistent storage)
     */
    public boolean expireSilence(String id) throws AlertmanagerException, InterruptedException {
        Answer answer = send(request("/api/v2/silence/" + checkedId(id)).DELETE());
        if (answer.ok()) {
            return true;
        }
        if (isNotFound(answer)) {
            return false;
        }
        throw error(answer);
    }

    /** One silence ({@code GET /api/v2/silence/{id}}), expired ones too; empty when Alertmanager has none with this ID. */
    public Optional<Silence> silence(String id) throws AlertmanagerException, InterruptedException {
        Answer answer = send(request("/api/v2/silence/" + checkedId(id)).GET());
        if (isNotFound(answer)) {
            return Optional.empty();
        }
        return Optional.of(silence(expect(answer, JsonNode::isObject, "a silence")));
    }

    /** Every silence Alertmanager holds ({@code GET /api/v2/silences}), expired ones too. */
    public List<Silence> silences() throws AlertmanagerException, InterruptedException {
        JsonNode all = expect(send(request("/api/v2/silences").GET()), JsonNode::isArray, "a list of silences");
        List<Silence> silences = new ArrayList<>();
        for (JsonNode s : all) {
            silences.add(silence(s));
        }
        return silences;
    }

    /**
     * The alerts that fire now and match the selector, leaving out those silenced or inhibited ({@code GET
     * /api/v2/alerts?active=true&silenced=false&inhibited=false}, one {@code filter} per matcher). Alerts Alertmanager
     * has just received and not yet grouped count: they fire too. Sorted by name, then labels.
     */
    public List<FiringAlert> firingAlerts(AlertMatchers selector) throws AlertmanagerException, InterruptedException {
        return firingAlerts(selector, false);
    }

    /**
     * As {@link #firingAlerts(AlertMatchers)}, with the silenced ones too when {@code withSilenced}: what an
     * acknowledgement must cover although the rollout's own window silence hides it until the step ends.
     */
    public List<FiringAlert> firingAlerts(AlertMatchers selector, boolean withSilenced)
            throws AlertmanagerException, InterruptedException {
        StringBuilder query = new StringBuilder("/api/v2/alerts?active=true&inhibited=false"
                + (withSilenced ? "" : "&silenced=false"));
        for (AlertMatcher m : selector.matchers()) {
            query.append("&filter=").append(URLEncoder.encode(m.toString(), StandardCharsets.UTF_8));
        }
        JsonNode alerts = expect(send(request(query.toString()).GET()), JsonNode::isArray, "a list of alerts");
        List<FiringAlert> firing = new ArrayList<>();
        for (JsonNode a : alerts) {
            firing.add(new FiringAlert(labels(a.path("labels")), time(a, "startsAt")));
        }
        firing.sort(Comparator.comparing(FiringAlert::name).thenComparing(FiringAlert::toString));
        return firing;
    }

    private String postSilence(String id, SilenceRequest r) throws AlertmanagerException, InterruptedException {
        return postSilence(id, r.matchers().matchers(), r.startsAt(), r.endsAt(), r.createdBy(), r.comment());
    }

    private String postSilence(String id, List<AlertMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
            String comment) throws AlertmanagerException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        if (id != null) {
            body.put("id", id);
        }
        ArrayNode list = body.putArray("matchers");
        for (AlertMatcher m : matchers) {
            list.addObject().put("name", m.name()).put("value", m.value()).put("isRegex", m.isRegex()).put("isEqual", m.isEqual());
        }
        // milliseconds, as Alertmanager returns them: an extension sends back exactly the start it read
        body.put("startsAt", startsAt.truncatedTo(ChronoUnit.MILLIS).toString())
                .put("endsAt", endsAt.truncatedTo(ChronoUnit.MILLIS).toString())
                .put("createdBy", createdBy).put("comment", comment);
        JsonNode answer = expect(send(request("/api/v2/silences")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))), JsonNode::isObject,
                "a silence ID");
        String silenceId = answer.path("silenceID").asText("");
        if (!SILENCE_ID.matcher(silenceId).matches()) {
            throw new AlertmanagerException("Alertmanager answered without a silence ID", 200);
        }
        return silenceId;
    }

    private static String checkedId(String id) {
        if (id == null || !SILENCE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + id + "' is not a silence ID (a UUID)");
        }
        return id;
    }

    private static AlertmanagerException notFound(String id) {
        return new AlertmanagerException("Alertmanager has no silence " + id, 404);
    }

    /** 404, or the 500 "silence not found" with which Alertmanager 0.25 answers DELETE of an unknown silence. */
    private static boolean isNotFound(Answer answer) {
        return answer.status() == 404
                || answer.status() == 500 && json(answer.body()).map(j -> j.asText("")).orElse("").equals("silence not found");
    }

    private static JsonNode expect(Answer answer, Predicate<JsonNode> shape, String what)
            throws AlertmanagerException {
        if (!answer.ok()) {
            throw error(answer);
        }
        Optional<JsonNode> json = json(answer.body()).filter(shape);
        if (json.isEmpty()) {
            throw new AlertmanagerException("the server did not answer like Alertmanager (HTTP " + answer.status()
                    + ", not " + what + ")", answer.status());
        }
        return json.get();
    }

    /**
     * Alertmanager's errors are a JSON string ({@code "silence not found"}) or {@code {"code":..,"message":..}}; their
     * text is kept (bounded), anything else is named by its status only.
     */
    private static AlertmanagerException error(Answer answer) {
        int status = answer.status();
        Optional<JsonNode> json = json(answer.body()).filter(j -> j.isTextual() || j.isObject());
        if (json.isEmpty()) {
            return new AlertmanagerException("the server did not answer like Alertmanager (HTTP " + status
                    + ", no Alertmanager JSON)", status);
        }
        String text = json.get().isTextual() ? json.get().asText() : json.get().path("message").asText("");
        return new AlertmanagerException("Alertmanager answered HTTP " + status + (text.isEmpty() ? "" : ": " + abbreviate(text)),
                status);
    }

    private static Silence silence(JsonNode s) throws AlertmanagerException {
        List<AlertMatcher> matchers = new ArrayList<>();
        try {
            for (JsonNode m : s.path("matchers")) {
                // isEqual came with Alertmanager 0.22; before it every matcher was an equality
                matchers.add(new AlertMatcher(m.path("name").asText(),
                        AlertMatcher.Operator.of(m.path("isRegex").asBoolean(false), m.path("isEqual").asBoolean(true)),
                        m.path("value").asText("")));
            }
            return new Silence(s.path("id").asText(), Silence.State.of(s.path("status").path("state").asText("")), matchers,
                    time(s, "startsAt"), time(s, "endsAt"), s.path("createdBy").asText(""), s.path("comment").asText(""),
                    time(s, "updatedAt"));
        } catch (IllegalArgumentException e) {
            throw new AlertmanagerException("Alertmanager returned a silence this client cannot read (" + e.getMessage() + ")", 200);
        }
    }

    private static Instant time(JsonNode node, String field) throws AlertmanagerException {
        String text = node.path(field).asText("");
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new AlertmanagerException("Alertmanager returned a " + field + " that is not a time", 200);
        }
    }

    private static Map<String, String> labels(JsonNode labels) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
