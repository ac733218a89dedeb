package io.jenkins.plugins.bluegreen.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestsTest {

    /** Set if the parser ever loads or instantiates {@link Canary}. */
    static final AtomicBoolean CANARY_TOUCHED = new AtomicBoolean();

    /** A class a YAML tag names; loading it must never happen. */
    public static final class Canary {
        static {
            CANARY_TOUCHED.set(true);
        }

        public Canary() {
            CANARY_TOUCHED.set(true);
        }
    }

    static String deployment(String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: checkout
                  labels:
                    app: checkout
                spec:
                  replicas: 2
                  selector:
                    matchLabels:
                      app: checkout
                  template:
                    metadata:
                      labels:
                        app: checkout
                    spec:
                      containers:
                      - name: app
                        image: %s
                        ports:
                        - name: http
                          containerPort: 8080
                """.formatted(image);
    }

    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: checkout
            spec:
              selector:
                app: checkout
              ports:
              - name: web
                port: 80
                targetPort: http
            """;

    private static String rejected(String manifest) {
        RolloutException e = assertThrows(RolloutException.class, () -> Manifests.parse(manifest));
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        return e.getMessage();
    }

    // ------------------------------------------------------------------------------------------- accepted

    @Test
    void acceptsOneDeployment() {
        Manifests.Parsed p = Manifests.parse(deployment("registry.example.com/shop/checkout:1.4.0"));
        assertEquals("checkout", p.deployment().getMetadata().getName());
        assertEquals("registry.example.com/shop/checkout:1.4.0",
                p.deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertNull(p.frontService("checkout"));
        assertTrue(p.others().isEmpty());
    }

    @Test
    void acceptsADeploymentAndItsService() {
        Manifests.Parsed p = Manifests.parse(deployment("checkout:1.4.0") + "---\n" + SERVICE);
        assertNotNull(p.frontService("checkout"));
        assertEquals(80, p.frontService("checkout").getSpec().getPorts().get(0).getPort());
        // the order does not matter
        Manifests.Parsed reversed = Manifests.parse(SERVICE + "---\n" + deployment("checkout:1.4.0"));
        assertEquals("checkout", reversed.deployment().getMetadata().getName());
        assertNotNull(reversed.frontService("checkout"));
    }

    @Test
    void acceptsJson() {
        String json = """
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "checkout"},
                 "spec": {"selector": {"matchLabels": {"app": "checkout"}},
                          "template": {"metadata": {"labels": {"app": "checkout"}},
                                       "spec": {"containers": [{"name": "app", "image": "checkout:1.4.0"}]}}}}
                """;
        Deployment d = Manifests.parse(json).deployment();
        assertEquals("checkout:1.4.0", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void acceptsAKindList() {
        String list = """
                apiVersion: v1
                kind: List
                items:
                """ + ("- " + deployment("checkout:1.4.0").replace("\n", "\n  ")).stripTrailing() + "\n";
        assertEquals("checkout", Manifests.parse(list).deployment().getMetadata().getName());
    }

    @Test
    void acceptsADigestImage() {
        String image = "registry.example.com/shop/checkout@sha256:" + "a".repeat(64);
        Manifests.Parsed p = Manifests.parse(deployment(image));
        assertEquals(image, p.deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    // ------------------------------------------------------------------------------------------- rejected

    @Test
    void rejectsEmptyText() {
        assertEquals("the manifest is empty", rejected(""));
        assertEquals("the manifest is empty", rejected("  \n\t"));
        assertEquals("the manifest is empty", rejected(null));
    }

    @Test
    void rejectsTextWithoutObjects() {
        assertEquals("the manifest holds no Kubernetes object", rejected("# nothing here\n---\n"));
    }

    @Test
    void rejectsYamlSyntaxErrorsWithoutQuotingTheDocument() {
        String broken = deployment("checkout:1.4.0").replace("  labels:\n    app: checkout\n", "  labels: {app: s3cr3t-value\n");
        String message = rejected(broken);
        assertTrue(message.startsWith("the manifest is not valid YAML (line "), message);
        assertFalse(message.contains("s3cr3t"), message);
        assertFalse(message.contains("checkout"), message);
    }

    @Test
    void reportsThePositionOfAYamlError() {
        assertEquals("the manifest is not valid YAML (line 3, column 1)", rejected("kind: Deployment\nmetadata: {name: x\n"));
    }

    @Test
    void rejectsDuplicateKeys() {
        assertEquals("the manifest is not valid YAML: a mapping has the same key twice (line 5, column 3)",
                rejected("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  name: b\n"));
    }

    @Test
    void rejectsJsonSyntaxErrorsWithoutQuotingTheDocument() {
        String message = rejected("{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {\"name\": \"s3cr3t\"");
        assertEquals("the manifest is not valid JSON (line 1, column 78)", message);
    }

    @Test
    void rejectsJavaTagsWithoutInstantiatingAnything() {
        String gadget = "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:9/\"]]]]\n";
        assertEquals("the manifest uses a YAML tag that is not allowed (line 1, column 1); write plain YAML without tags such as "
                + "!!java... or !custom", rejected(gadget));

        String canary = deployment("checkout:1.4.0").replace("  name: checkout\n",
                "  name: checkout\n  annotations: !!io.jenkins.plugins.bluegreen.kubernetes.ManifestsTest$Canary {}\n");
        assertTrue(rejected(canary).startsWith("the manifest uses a YAML tag that is not allowed (line 5, column 16)"));
        assertFalse(CANARY_TOUCHED.get(), "the parser loaded a class named by a YAML tag");
    }

    /** Nine levels of ten aliases: a billion strings if expanded; refused quickly, by the parser's alias limit. */
    @Test
    void rejectsAnAliasBombBeforeItExpands() {
        StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [lol, lol, lol]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            bomb.append("  ").append(c).append(": &").append(c).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, "*" + (char) (c - 1)))).append("]\n");
        }
        assertEquals("the manifest refers to YAML anchors (*name) more often than allowed, as an alias bomb does; write the objects"
                + " out instead", rejected(bomb.toString()));
    }

    @Test
    void rejectsCustomLocalTags() {
        assertTrue(rejected("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: !custom x\n")
                .startsWith("the manifest uses a YAML tag that is not allowed (line 4, column 9)"));
    }

    @Test
    void rejectsOtherKindsByName() {
        assertEquals("the manifest holds a Widget (example.com/v1) 'w'; a colour holds one apps/v1 Deployment and any of"
                + " ServiceAccount (v1), ConfigMap (v1), Secret (v1), Service (v1), PodDisruptionBudget (policy/v1),"
                + " HorizontalPodAutoscaler (autoscaling/v2)",
                rejected(deployment("checkout:1.4.0") + "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"));
        assertEquals("a ConfigMap of the manifest has no metadata.name",
                rejected(deployment("checkout:1.4.0") + "---\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n"));
    }

    @Test
    void acceptsTheBundleKindsBesideTheDeployment() {
        Manifests.Parsed p = Manifests.parse(deployment("checkout:1.4.0") + "---\n" + SERVICE
                + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\n"
                + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: checkout-admin\nspec:\n  ports:\n  - port: 9090\n");
        assertEquals(3, p.others().size());
        assertEquals("checkout", p.frontService("checkout").getMetadata().getName(), "the one named after the service");
        assertNull(p.frontService("payments"), "a Service is the front Service only by the service's name");
        assertEquals(List.of("config", "checkout-admin"), p.extras("checkout").stream().map(o -> o.getMetadata().getName()).toList());
    }

    @Test
    void rejectsDocumentsThatAreNotObjects() {
        assertEquals("document 2 of the manifest is not a Kubernetes object (apiVersion and kind are required)",
                rejected(deployment("checkout:1.4.0") + "---\nmetadata:\n  name: x\n"));
    }

    @Test
    void rejectsSeveralDeployments() {
        assertEquals("the manifest holds 2 Deployments; exactly one is accepted",
                rejected(deployment("checkout:1.4.0") + "---\n" + deployment("checkout:1.5.0")));
    }

    @Test
    void rejectsTheSameObjectTwice() {
        assertEquals("the manifest holds the Service 'checkout' twice",
                rejected(deployment("checkout:1.4.0") + "---\n" + SERVICE + "---\n" + SERVICE));
    }

    @Test
    void rejectsAServiceAlone() {
        assertEquals("the manifest holds no Deployment", rejected(SERVICE));
    }

    @Test
    void rejectsOtherDeploymentApiVersions() {
        assertEquals("the Deployment has apiVersion 'extensions/v1beta1'; only apps/v1 is supported",
                rejected(deployment("checkout:1.4.0").replace("apps/v1", "extensions/v1beta1")));
    }

    @Test
    void rejectsADeploymentWithoutContainers() {
        String none = deployment("checkout:1.4.0").replaceAll("(?s)      containers:.*", "      containers: []\n");
        assertEquals("the Deployment 'checkout' has no containers", rejected(none));
        String noSpec = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n";
        assertEquals("the Deployment 'checkout' has no containers", rejected(noSpec));
    }

    @Test
    void rejectsMutableImagesNamingTheContainer() {
        assertEquals("container 'app': the image 'checkout:latest' uses the tag 'latest', which can change under a rollout; "
                + "use an immutable tag or a digest", rejected(deployment("checkout:latest")));
        assertEquals("container 'app': the image 'checkout' has no tag; use an immutable tag such as :1.4.0 or a digest (@sha256:...)",
                rejected(deployment("checkout")));
    }

    @Test
    void rejectsMutableInitContainerImages() {
        String withInit = deployment("checkout:1.4.0").replace("      containers:\n",
                "      initContainers:\n      - name: migrate\n        image: flyway/flyway\n      containers:\n");
        assertEquals("init container 'migrate': the image 'flyway/flyway' has no tag; use an immutable tag such as :1.4.0 or "
                + "a digest (@sha256:...)", rejected(withInit));
    }

    @Test
    void rejectsAContainerWithoutImage() {
        String noImage = deployment("checkout:1.4.0").replace("        image: checkout:1.4.0\n", "");
        assertEquals("container 'app': an image is required", rejected(noImage));
    }

    @Test
    void rejectsMoreThanOneMebibyte() {
        String big = deployment("checkout:1.4.0") + "# " + "x".repeat(Manifests.MAX_BYTES) + "\n";
        String message = rejected(big);
        assertTrue(message.startsWith("the manifest is larger than 1 MiB ("), message);
    }

    @Test
    void rejectsValuesOfTheWrongType() {
        assertEquals("the manifest does not fit the Kubernetes schema at spec.replicas",
                rejected(deployment("checkout:1.4.0").replace("replicas: 2", "replicas: three")));
    }

    @Test
    void rejectsASelectorThatDoesNotSelectTheTemplate() {
        assertEquals("the Deployment 'checkout' needs spec.selector.matchLabels (for example app: <name>) so that Services can "
                + "select its pods", rejected(deployment("checkout:1.4.0").replace("    matchLabels:\n      app: checkout\n", "    {}\n")));
        assertEquals("the Deployment 'checkout': the pod template labels do not match spec.selector.matchLabels (label 'app')",
                rejected(deployment("checkout:1.4.0").replace("      app: checkout\n  template", "      app: other\n  template")));
    }
}
