package io.jenkins.plugins.bluegreen.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test support for the router tests: the shared mock API server ({@link io.jenkins.plugins.bluegreen.kubernetes.MockCluster},
 * CRUD with expectations taking precedence where a test registers them, e.g. a 409 on a PUT or a tampered
 * read-back), router objects in namespace {@value #NAMESPACE}, and a log of the requests the routers made.
 */
final class RouterMock implements AutoCloseable {

    static final String NAMESPACE = "shop";
    private static final ObjectMapper JSON = new ObjectMapper();

    final KubernetesMockServer server;
    final KubernetesClient client;
    private final List<RecordedRequest> log = new ArrayList<>();

    private final io.jenkins.plugins.bluegreen.kubernetes.MockCluster mock = io.jenkins.plugins.bluegreen.kubernetes.MockCluster.start();

    RouterMock() {
        server = mock.server;
        client = mock.client;
    }

    @Override
    public void close() {
        mock.close();
    }

    GenericKubernetesResource parse(String yaml) {
        return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    }

    GenericKubernetesResource create(ResourceDefinitionContext type, String yaml) {
        GenericKubernetesResource created = client.genericKubernetesResources(type).inNamespace(NAMESPACE).resource(parse(yaml)).create();
        forgetRequests();
        return created;
    }

    GenericKubernetesResource get(ResourceDefinitionContext type, String name) {
        return client.genericKubernetesResources(type).inNamespace(NAMESPACE).withName(name).get();
    }

    static String path(ResourceDefinitionContext type, String name) {
        return "/apis/" + type.getGroup() + "/" + type.getVersion() + "/namespaces/" + NAMESPACE + "/" + type.getPlural() + "/" + name;
    }

    /** The next {@code times} PUTs to {@code path} get 409 Conflict (0: every PUT). */
    void conflictOnPut(String path, int times) {
        String status = client.getKubernetesSerialization().asJson(new StatusBuilder().withStatus("Failure").withCode(409)
                .withReason("Conflict").withMessage("the object has been modified; please apply your changes to the latest version")
                .build());
        var expectation = server.expect().put().withPath(path).andReturn(409, status);
        if (times == 0) {
            expectation.always();
        } else {
            expectation.times(times);
        }
    }

    /** The next GETs of {@code path} answer these objects, in order; later GETs go to the CRUD store again. */
    void answerGets(String path, Object... objects) {
        for (Object o : objects) {
            server.expect().get().withPath(path).andReturn(200, client.getKubernetesSerialization().asJson(o)).once();
        }
    }

    /** Methods of the requests to {@code path} since the last call (or since the fixture was created). */
    List<String> methodsOn(String path) {
        List<String> methods = new ArrayList<>();
        for (RecordedRequest r : drain()) {
            String p = r.getPath();
            int q = p.indexOf('?');
            if ((q < 0 ? p : p.substring(0, q)).equals(path)) {
                methods.add(r.getMethod());
            }
        }
        return methods;
    }

    /** Every request since the last call. */
    List<RecordedRequest> drain() {
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                log.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        List<RecordedRequest> all = new ArrayList<>(log);
        log.clear();
        return all;
    }

    void forgetRequests() {
        drain();
    }

    /** The object as JSON without the fields a write may legitimately change: weights and server-set metadata. */
    JsonNode withoutWeights(Object object) {
        try {
            JsonNode node = JSON.readTree(client.getKubernetesSerialization().asJson(object));
            ObjectNode metadata = (ObjectNode) node.get("metadata");
            metadata.remove(List.of("resourceVersion", "generation", "managedFields"));
            strip(node, "weight");
            return node;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode json(Object object) {
        return JSON.valueToTree(object);
    }

    private static void strip(JsonNode node, String field) {
        if (node instanceof ObjectNode o) {
            o.remove(field);
        }
        for (Iterator<JsonNode> i = node.elements(); i.hasNext(); ) {
            strip(i.next(), field);
        }
    }
}
