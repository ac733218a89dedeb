package io.jenkins.plugins.bluegreen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

    private static RolloutRecord sample() {
        RolloutRecord r = new RolloutRecord(new RolloutTarget("shop", "checkout"),
                RouterSpec.byServices(RouterSpec.Kind.GATEWAY_HTTP_ROUTE, "checkout", "checkout"));
        r.setPhase(Phase.SHIFTED);
        r.setStable(new Revision(Color.BLUE, "checkout-blue", "shop/checkout:1.3.9", "abc", 4));
        r.setCandidate(new Revision(Color.GREEN, "checkout-green", "shop/checkout:1.4.0", "def", 4));
        r.setWeights(new Weights(95, 5));
        r.setOwner("https://jenkins.example.com/job/checkout/42/");
        r.setRollback(new Rollback("gate", null, "2026-11-22T10:00:00Z", null, null));
        r.addEvent(Instant.parse("2026-11-22T10:00:00Z"), "traffic", "traffic now blue 95 % / green 5 %");
        return r;
    }

    @Test
    void roundTripsEveryField() {
        RolloutRecord back = RecordJson.read(RecordJson.write(sample()));
        assertEquals(RecordJson.write(sample()), RecordJson.write(back));
        assertEquals(new Weights(95, 5), back.getWeights());
        assertEquals(Color.GREEN, back.candidateColor());
        assertEquals(RouterSpec.Kind.GATEWAY_HTTP_ROUTE, back.getRouter().kind());
        assertEquals(1, back.getHistory().size());
    }

    @Test
    void theDocumentHasNoTypeInformationAndToleratesNewFields() {
        String json = RecordJson.write(sample());
        assertFalse(json.contains("@class") || json.contains("\"@type\""), json);
        assertTrue(json.contains("\"phase\" : \"SHIFTED\""), json);
        RolloutRecord r = RecordJson.read(json.replace("{\n  \"schemaVersion\"", "{\n  \"addedLater\" : [1, 2],\n  \"schemaVersion\""));
        assertEquals(Phase.SHIFTED, r.getPhase());
    }

    @Test
    void aDocumentThatIsNotARecordIsReportedAsSuch() {
        RolloutException e = assertThrows(RolloutException.class, () -> RecordJson.read("{\"weights\":{\"blue\":50,\"green\":60}}"));
        assertEquals(RolloutException.Kind.CLUSTER, e.kind());
        assertThrows(RolloutException.class, () -> RecordJson.read("not json"));
        assertThrows(RolloutException.class, () -> RecordJson.read("{}"));
    }

    @Test
    void silencesRoundTripAndARecordWrittenBeforeThemHasNone() {
        RolloutRecord r = sample();
        r.setSilences(java.util.List.of(new AlertSilence("oncall", null, null, "5b0c3c4e-1111-4222-8333-944455556666",
                AlertSilence.WINDOW, "checkout#42", "2026-11-22T10:30:00Z"), new AlertSilence(null,
                "https://alertmanager.example.com", "am-token", "5b0c3c4e-1111-4222-8333-944455556667", AlertSilence.ACK,
                "checkout#42", "2026-11-22T11:00:00Z")));
        RolloutRecord back = RecordJson.read(RecordJson.write(r));
        assertEquals(r.getSilences(), back.getSilences());
        assertTrue(back.getSilences().get(0).isWindow());
        assertEquals("https://alertmanager.example.com", back.getSilences().get(1).where());

        String old = RecordJson.write(sample()).replaceAll(",\\s*\"silences\" : \\[ \\]", "");
        assertFalse(old.contains("silences"), old);
        assertTrue(RecordJson.read(old).getSilences().isEmpty());
        assertTrue(RecordJson.read(RecordJson.write(sample()).replace("\"silences\" : [ ]", "\"silences\" : null"))
                .getSilences().isEmpty());
        java.util.List<AlertSilence> many = new java.util.ArrayList<>();
        for (int i = 0; i < AlertSilence.MAX + 5; i++) {
            many.add(new AlertSilence("oncall", null, null, "id-" + i, AlertSilence.ACK, "b", null));
        }
        r.setSilences(many);
        assertEquals(AlertSilence.MAX, r.getSilences().size());
        assertEquals("id-5", r.getSilences().get(0).id(), "the oldest go first");
    }

    @Test
    void historyIsBounded() {
        RolloutRecord r = sample();
        for (int i = 0; i < RolloutRecord.MAX_HISTORY + 20; i++) {
            r.addEvent(Instant.EPOCH.plusSeconds(i), "note", "event " + i);
        }
        assertEquals(RolloutRecord.MAX_HISTORY, r.getHistory().size());
        assertEquals("event " + (RolloutRecord.MAX_HISTORY + 19), r.getHistory().get(RolloutRecord.MAX_HISTORY - 1).message());
    }
}
