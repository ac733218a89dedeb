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
    void historyIsBounded() {
        RolloutRecord r = sample();
        for (int i = 0; i < RolloutRecord.MAX_HISTORY + 20; i++) {
            r.addEvent(Instant.EPOCH.plusSeconds(i), "note", "event " + i);
        }
        assertEquals(RolloutRecord.MAX_HISTORY, r.getHistory().size());
        assertEquals("event " + (RolloutRecord.MAX_HISTORY + 19), r.getHistory().get(RolloutRecord.MAX_HISTORY - 1).message());
    }
}
