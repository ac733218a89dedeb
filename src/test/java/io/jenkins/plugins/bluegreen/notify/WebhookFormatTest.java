package io.jenkins.plugins.bluegreen.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.report.RolloutFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The three bodies for a rollback and a promotion built from the report's record fixtures: what each says, in the
 * syntax its receiver reads. The step tests check the same bodies as they arrive from real step runs.
 */
class WebhookFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RolloutTarget TARGET = new RolloutTarget("shop", "checkout");
    private static final String BUILD_URL = "https://jenkins.example.com/job/checkout-deploy/12/";

    static RolloutNotification rollback() {
        RolloutRecord r = RolloutFixtures.rolledBack();
        return RolloutNotification.of(NotificationEvent.ROLLBACK, "blueGreenDeploy", TARGET).record(r)
                .reason(r.getRollback().reason()).candidateFault(true).at(RolloutFixtures.at(150))
                .build("checkout-deploy#12", BUILD_URL, BUILD_URL + "blue-green-rollout/").build();
    }

    static RolloutNotification promotion() {
        return RolloutNotification.of(NotificationEvent.PROMOTED, "blueGreenDeploy", TARGET).record(RolloutFixtures.promoted())
                .at(RolloutFixtures.at(196)).build("checkout-deploy#12", BUILD_URL, BUILD_URL + "blue-green-rollout/").build();
    }

    private static JsonNode body(WebhookFormat format, RolloutNotification n) throws Exception {
        return JSON.readTree(format.body(n));
    }

    @Test
    void theRollbackSaysWhatTheGuideSaysAndMore() throws Exception {
        RolloutNotification n = rollback();
        assertEquals("Rollback initiated \u2013 checkout green degraded", n.headline());
        assertEquals("Traffic is back on blue; green is scaled to zero.", n.summary());
        assertEquals("1.4.2 (blue)", n.facts().get("From"));
        assertEquals("1.5.0 (green)", n.facts().get("To"));
        assertEquals("errorRate: value 0.061 (fails when > 0.01)", n.facts().get("Gate"));
        assertEquals("12840 ms", n.facts().get("Time to revert"));
        assertEquals("blueGreenDeploy in checkout-deploy#12", n.facts().get("Step"));
    }

    @Test
    void slackHasTheMentionEscapedMarkupAndTheLinks() throws Exception {
        JsonNode slack = body(WebhookFormat.SLACK, rollback());
        String text = slack.path("text").asText();
        System.out.println("slack rollback:\n" + text);
        assertTrue(text.startsWith("<!here> *Rollback initiated \u2013 checkout green degraded*\n"), text);
        for (String part : List.of("*Service:* checkout in shop", "*From:* 1.4.2 (blue)", "*To:* 1.5.0 (green)",
                "*Reason:* gate failed: errorRate FAIL at 2026-03-01T10:02:26Z: value 0.061 (fails when &gt; 0.01)",
                "*Gate:* errorRate: value 0.061 (fails when &gt; 0.01)", "*Time to revert:* 12840 ms",
                "<" + BUILD_URL + "|Build checkout-deploy#12>", "<" + BUILD_URL + "blue-green-rollout/|Rollout report>")) {
            assertTrue(text.contains(part), part + " in\n" + text);
        }
        JsonNode blocks = slack.path("blocks");
        assertEquals("section", blocks.get(0).path("type").asText());
        assertTrue(blocks.get(0).path("text").path("text").asText().startsWith("<!here> *Rollback initiated"));
        List<String> fields = new ArrayList<>();
        blocks.get(1).path("fields").forEach(f -> fields.add(f.path("text").asText()));
        assertTrue(fields.contains("*From*\n1.4.2 (blue)"), String.valueOf(fields));
        assertTrue(fields.size() <= 10, "Slack takes at most 10 fields in a section");
        assertEquals("context", blocks.get(blocks.size() - 1).path("type").asText());

        String promoted = body(WebhookFormat.SLACK, promotion()).path("text").asText();
        assertTrue(promoted.startsWith("*checkout green promoted \u2013 it serves all traffic*"), "no @here for good news: " + promoted);
    }

    @Test
    void teamsIsOneAdaptiveCardInAMessage() throws Exception {
        JsonNode teams = body(WebhookFormat.TEAMS, rollback());
        assertEquals("message", teams.path("type").asText());
        JsonNode attachment = teams.path("attachments").get(0);
        assertEquals("application/vnd.microsoft.card.adaptive", attachment.path("contentType").asText());
        JsonNode card = attachment.path("content");
        assertEquals("AdaptiveCard", card.path("type").asText());
        assertEquals("1.4", card.path("version").asText());
        JsonNode headline = card.path("body").get(0);
        assertEquals("Rollback initiated \u2013 checkout green degraded", headline.path("text").asText());
        assertEquals("Attention", headline.path("color").asText());
        JsonNode facts = null;
        for (JsonNode b : card.path("body")) {
            if (b.path("type").asText().equals("FactSet")) {
                facts = b.path("facts");
            }
        }
        List<String> titles = new ArrayList<>();
        facts.forEach(f -> titles.add(f.path("title").asText() + "=" + f.path("value").asText()));
        assertTrue(titles.contains("Time to revert=12840 ms"), String.valueOf(titles));
        assertTrue(titles.contains("Gate=errorRate: value 0.061 (fails when > 0.01)"), String.valueOf(titles));
        assertEquals(BUILD_URL + "blue-green-rollout/", card.path("actions").get(1).path("url").asText());
        assertEquals("Action.OpenUrl", card.path("actions").get(0).path("type").asText());

        JsonNode promoted = body(WebhookFormat.TEAMS, promotion()).path("attachments").get(0).path("content").path("body").get(0);
        assertFalse(promoted.has("color"), "good news is not in red");
    }

    @Test
    void jsonHasEveryFieldNullWhenUnknown() throws Exception {
        JsonNode json = body(WebhookFormat.JSON, rollback());
        Set<String> keys = new TreeSet<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(new TreeSet<>(List.of("event", "headline", "summary", "step", "service", "namespace", "phase", "candidateColor",
                "stableColor", "fromColor", "fromVersion", "fromImage", "toColor", "toVersion", "toImage", "traffic", "reason",
                "gate", "value", "threshold", "comparison", "timeToRevertMillis", "time", "build", "buildUrl", "reportUrl")), keys);
        assertEquals("rollback", json.path("event").asText());
        assertEquals("1.4.2", json.path("fromVersion").asText());
        assertEquals(RolloutFixtures.NEW_IMAGE, json.path("toImage").asText());
        assertEquals("errorRate", json.path("gate").asText());
        assertEquals(0.061, json.path("value").asDouble());
        assertEquals(0.01, json.path("threshold").asDouble());
        assertEquals(">", json.path("comparison").asText());
        assertEquals(12840, json.path("timeToRevertMillis").asLong());
        assertEquals(Phase.ROLLED_BACK.name(), json.path("phase").asText());

        JsonNode promoted = body(WebhookFormat.JSON, promotion());
        assertEquals("promoted", promoted.path("event").asText());
        assertTrue(promoted.get("gate").isNull());
        assertTrue(promoted.get("timeToRevertMillis").isNull());
        assertTrue(promoted.get("reason").isNull());
        assertEquals("blue 0 % / green 100 %", promoted.path("traffic").asText());
    }

    @Test
    void withoutAJenkinsUrlThereAreNoLinksAndVersionsComeFromTagsOrDigests() throws Exception {
        RolloutNotification n = RolloutNotification.of(NotificationEvent.FAILED, "shiftTraffic", TARGET)
                .reason("a <b> & c").build("checkout-deploy#12", null, null).build();
        JsonNode slack = body(WebhookFormat.SLACK, n);
        assertTrue(slack.path("text").asText().contains("*Reason:* a &lt;b&gt; &amp; c"), slack.path("text").asText());
        assertFalse(slack.path("text").asText().contains("<http"), "no link without a Jenkins URL");
        assertFalse(body(WebhookFormat.TEAMS, n).path("attachments").get(0).path("content").has("actions"));
        assertEquals("1.5.0", RolloutNotification.version("registry.example.com:5000/shop/checkout:1.5.0"));
        assertEquals("sha256:0123456789ab", RolloutNotification.version("registry.example.com/checkout@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
        assertEquals("checkout", RolloutNotification.version("registry.example.com:5000/checkout"));
    }
}
