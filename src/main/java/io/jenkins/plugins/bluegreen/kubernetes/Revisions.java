package io.jenkins.plugins.bluegreen.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The digest that recognises a candidate's source again, whichever colour it was applied as. */
final class Revisions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Revisions() {
    }

    /**
     * The revision of a pod template: SHA-256 hex of its canonical JSON (keys sorted; nulls and empty objects or
     * arrays dropped, since the typed model and the API server differ on whether they exist).
     */
    static String of(KubernetesSerialization serialization, Object source) {
        try {
            JsonNode tree = JSON.readTree(serialization.asJson(source));
            JsonNode canonical = canonical(tree);
            byte[] bytes = JSON.writeValueAsBytes(canonical == null ? JSON.createObjectNode() : canonical);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest the candidate's source", e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonNode v = canonical(e.getValue());
                if (v != null) {
                    sorted.put(e.getKey(), v);
                }
            }
            if (sorted.isEmpty()) {
                return null;
            }
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            for (JsonNode item : node) {
                JsonNode v = canonical(item);
                out.add(v == null ? JSON.createObjectNode() : v);
            }
            return out.isEmpty() ? null : out;
        }
        return node;
    }
}
