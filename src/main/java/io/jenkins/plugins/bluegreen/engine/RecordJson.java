package io.jenkins.plugins.bluegreen.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The rollout record's JSON form: plain properties, no type information (never default typing), unknown
 * properties ignored so that an older plugin can read a newer record.
 */
public final class RecordJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.INDENT_OUTPUT, true)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private RecordJson() {}

    public static String write(RolloutRecord record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the rollout record", e);
        }
    }

    /** @throws RolloutException of kind CLUSTER when the stored document is not a record */
    public static RolloutRecord read(String json) {
        try {
            RolloutRecord r = MAPPER.readValue(json, RolloutRecord.class);
            if (r == null || r.getPhase() == null) {
                throw new RolloutException(RolloutException.Kind.CLUSTER, "the stored rollout record has no phase");
            }
            return r;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new RolloutException(RolloutException.Kind.CLUSTER, "the stored rollout record cannot be read: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    static RolloutRecord copy(RolloutRecord r) {
        return MAPPER.convertValue(r, RolloutRecord.class);
    }
}
