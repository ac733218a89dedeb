package io.jenkins.plugins.bluegreen.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.bluegreen.engine.GatePoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The body a webhook receives, one per kind of receiver. All three carry the same facts; each says them the way its
 * receiver shows them.
 */
public enum WebhookFormat {
    /**
     * A Slack incoming webhook (and the Slack-compatible ones of Mattermost, Rocket.Chat and others): {@code text} holds
     * the whole message in Slack's mrkdwn, for receivers that ignore {@code blocks} and for notifications; {@code blocks}
     * lay it out. A rollout that ended badly starts with {@code <!here>}, which Slack shows as {@code @here}.
     */
    SLACK,
    /**
     * Microsoft Teams: a message with one Adaptive Card (1.4), the payload both a Workflows "post to a channel when a
     * webhook request is received" flow and a classic incoming webhook accept. Webhooks cannot mention people in Teams,
     * so a bad ending is marked by an attention-coloured headline instead of {@code @here}.
     */
    TEAMS,
    /** A plain JSON object with every field, null when unknown, for anything that reads JSON. */
    JSON;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** {@code slack}, {@code teams} or {@code json}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format a Pipeline names, in any case; empty for anything else. */
    public static Optional<WebhookFormat> fromLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        for (WebhookFormat f : values()) {
            if (f.label().equalsIgnoreCase(label.trim())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The request body, UTF-8 JSON. */
    public byte[] body(RolloutNotification n) {
        ObjectNode body;
        switch (this) {
            case SLACK:
                body = slack(n);
                break;
            case TEAMS:
                body = teams(n);
                break;
            default:
                body = json(n);
        }
        try {
            return MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always writes", e);
        }
    }

    private static ObjectNode slack(RolloutNotification n) {
        String mention = n.event().isBad() ? "<!here> " : "";
        String headline = mention + "*" + mrkdwn(n.headline()) + "*";
        String summary = n.summary().isEmpty() ? "" : "\n" + mrkdwn(n.summary());
        StringBuilder links = new StringBuilder();
        for (RolloutNotification.Link l : n.links()) {
            links.append(links.length() == 0 ? "" : " \u00b7 ").append('<').append(l.url()).append('|').append(mrkdwn(l.label())).append('>');
        }
        StringBuilder text = new StringBuilder(headline).append(summary);
        n.facts().forEach((k, v) -> text.append("\n*").append(k).append(":* ").append(mrkdwn(v)));
        if (links.length() > 0) {
            text.append('\n').append(links);
        }

        ObjectNode body = MAPPER.createObjectNode();
        body.put("text", text.toString());
        ArrayNode blocks = body.putArray("blocks");
        blocks.add(section(headline + summary));
        Map<String, String> facts = n.facts();
        ObjectNode fields = MAPPER.createObjectNode().put("type", "section");
        ArrayNode list = fields.putArray("fields");
        StringBuilder wide = new StringBuilder();
        facts.forEach((k, v) -> {
            if (k.equals("Reason") || k.equals("Gate")) {
                wide.append(wide.length() == 0 ? "" : "\n").append('*').append(k).append(":* ").append(mrkdwn(v));
            } else {
                list.add(mrkdwnText("*" + k + "*\n" + mrkdwn(v)));
            }
        });
        blocks.add(fields);
        if (wide.length() > 0) {
            blocks.add(section(wide.toString()));
        }
        ObjectNode context = MAPPER.createObjectNode().put("type", "context");
        context.putArray("elements").add(mrkdwnText((links.length() > 0 ? links + " \u00b7 " : "") + n.at().toString()));
        blocks.add(context);
        return body;
    }

    private static ObjectNode section(String mrkdwn) {
        ObjectNode s = MAPPER.createObjectNode().put("type", "section");
        s.set("text", mrkdwnText(mrkdwn));
        return s;
    }

    private static ObjectNode mrkdwnText(String text) {
        return MAPPER.createObjectNode().put("type", "mrkdwn").put("text", text);
    }

    /** Slack reads {@code &}, {@code <} and {@code >} as markup: a reason such as "fails when > 0.5" must be escaped. */
    static String mrkdwn(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static ObjectNode teams(RolloutNotification n) {
        ObjectNode card = MAPPER.createObjectNode();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        ObjectNode headline = body.addObject().put("type", "TextBlock").put("text", n.headline()).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true);
        if (n.event().isBad()) {
            headline.put("color", "Attention");
        }
        if (!n.summary().isEmpty()) {
            body.addObject().put("type", "TextBlock").put("text", n.summary()).put("wrap", true);
        }
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        n.facts().forEach((k, v) -> facts.addObject().put("title", k).put("value", v));
        body.addObject().put("type", "TextBlock").put("text", n.at().toString()).put("isSubtle", true).put("size", "Small")
                .put("wrap", true);
        List<RolloutNotification.Link> links = n.links();
        if (!links.isEmpty()) {
            ArrayNode actions = card.putArray("actions");
            links.forEach(l -> actions.addObject().put("type", "Action.OpenUrl").put("title", l.label()).put("url", l.url()));
        }
        card.putObject("msteams").put("width", "Full");

        ObjectNode message = MAPPER.createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        return message;
    }

    private static ObjectNode json(RolloutNotification n) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event", n.event().label());
        o.put("headline", n.headline());
        o.put("summary", n.summary());
        o.put("step", n.step());
        o.put("service", n.service());
        o.put("namespace", n.namespace());
        o.put("phase", n.phase());
        o.put("candidateColor", n.candidateColor());
        o.put("stableColor", n.stableColor());
        o.put("fromColor", n.fromColor());
        o.put("fromVersion", RolloutNotification.version(n.fromImage()));
        o.put("fromImage", n.fromImage());
        o.put("toColor", n.toColor());
        o.put("toVersion", RolloutNotification.version(n.toImage()));
        o.put("toImage", n.toImage());
        o.put("traffic", n.traffic());
        o.put("reason", n.reason());
        GatePoint g = n.gate();
        o.put("gate", g == null ? null : g.gate());
        o.put("value", g == null ? null : g.value());
        o.put("threshold", g == null ? null : g.threshold());
        o.put("comparison", g == null ? null : g.comparison());
        o.put("timeToRevertMillis", n.timeToRevertMillis());
        o.put("time", n.at().toString());
        o.put("build", n.build());
        o.put("buildUrl", n.buildUrl());
        o.put("reportUrl", n.reportUrl());
        return o;
    }
}
