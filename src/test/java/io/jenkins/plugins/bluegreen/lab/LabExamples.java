package io.jenkins.plugins.bluegreen.lab;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TEST CODE: the repository's {@code examples/} as the Jenkins lab serves them. The lab applies the examples' own
 * Kubernetes objects (colour Services, the VirtualService, the HTTPRoute) into its namespace and deploys blue from
 * their own manifests, so the examples' names are the lab's. For each example it writes a Jenkinsfile that runs
 * against the lab as it is, pasted into a Pipeline job: the cluster and Prometheus named {@code lab}, the lab's
 * namespace, no image to build, and the manifest written by the Pipeline itself (a Pipeline-script job has no
 * repository to read it from). A change to an example that these rewrites no longer fit fails loudly.
 */
final class LabExamples {

    /** An example whose service the lab serves. */
    record Served(String directory, String service, RouterSpec.Kind router, List<String> objectFiles, String manifestFile) {
        RouterSpec routerSpec() {
            return RouterSpec.byServices(router, service, service);
        }
    }

    static final List<Served> SERVED = List.of(
            new Served("istio-canary", "checkout", RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE,
                    List.of("k8s/services.yaml", "k8s/virtualservice.yaml"), "k8s/checkout.yaml"),
            new Served("database-gates", "recommendation-service", RouterSpec.Kind.GATEWAY_HTTP_ROUTE,
                    List.of("k8s/services.yaml", "k8s/httproute.yaml"), "k8s/recommendation-service.yaml"));

    /** Every example directory with a Jenkinsfile, the lab's own first. */
    static final List<String> JENKINSFILES = List.of("lab", "istio-canary", "database-gates", "rollback-job");

    /** The namespace every example uses. */
    static final String EXAMPLES_NAMESPACE = "shop";

    private static final Pattern MAKE = Pattern.compile("(?m)^([ \\t]*)sh 'make image push[^\\n]*$");
    private static final Pattern SED =
            Pattern.compile("(?m)^([ \\t]*)sh 'sed \"s\\|__IMAGE_TAG__\\|\\$IMAGE_TAG\\|\" (k8s/[\\w.-]+) > (k8s/[\\w.-]+)'$");

    private LabExamples() {
    }

    /** Creates the example's objects in {@code namespace} (whatever namespace the files name). */
    static void applyObjects(KubernetesClient client, String namespace, Path examples, Served example) throws IOException {
        for (String file : example.objectFiles()) {
            try (InputStream in = Files.newInputStream(examples.resolve(example.directory()).resolve(file))) {
                for (HasMetadata o : client.load(in).items()) {
                    o.getMetadata().setNamespace(namespace);
                    if (o instanceof GenericKubernetesResource g) {
                        client.genericKubernetesResources(context(g)).inNamespace(namespace).resource(g).create();
                    } else {
                        client.resource(o).inNamespace(namespace).create();
                    }
                }
            }
        }
    }

    /** A custom resource the client has no model for (the VirtualService), addressed without discovery. */
    private static ResourceDefinitionContext context(GenericKubernetesResource g) {
        String[] groupVersion = g.getApiVersion().split("/");
        return new ResourceDefinitionContext.Builder().withGroup(groupVersion[0]).withVersion(groupVersion[1])
                .withKind(g.getKind()).withPlural(g.getKind().toLowerCase(Locale.ROOT) + "s").withNamespaced(true).build();
    }

    /** The example's Deployment manifest with its image tag placeholder filled, as its Jenkinsfile renders it. */
    static String manifest(Path examples, Served example, String tag) throws IOException {
        String text = Files.readString(examples.resolve(example.directory()).resolve(example.manifestFile()));
        if (!text.contains("__IMAGE_TAG__")) {
            throw new IllegalStateException(example.manifestFile() + " of examples/" + example.directory() + " has no __IMAGE_TAG__");
        }
        return text.replace("__IMAGE_TAG__", tag);
    }

    /** The example's Jenkinsfile, rewritten to run against the lab as it is. */
    static String jenkinsfileForLab(Path examples, String directory, String namespace) throws IOException {
        Path dir = examples.resolve(directory);
        String text = Files.readString(dir.resolve("Jenkinsfile"));
        text = replace(text, "'" + EXAMPLES_NAMESPACE + "'", "'" + namespace + "'", directory);
        if (directory.equals("lab")) {
            return text;
        }
        text = replace(text, "cluster: 'prod'", "cluster: 'lab'", directory);
        Optional<Served> served = SERVED.stream().filter(s -> s.directory().equals(directory)).findFirst();
        if (served.isPresent()) {
            text = replace(text, "prometheus: 'main'", "prometheus: 'lab'", directory);
            text = replace(text, MAKE, m -> m.group(1) + "echo 'The lab runs any image tag: nothing to build or push.'", directory);
            text = replace(text, SED, m -> m.group(1) + "writeFile file: '" + m.group(3) + "', text: \"\"\"\\\n"
                    + groovyText(dir.resolve(m.group(2))) + "\"\"\"", directory);
        }
        return "// examples/" + directory + "/Jenkinsfile, rewritten for the blue-green lab (scripts/lab.sh): cluster and\n"
                + "// Prometheus 'lab', namespace '" + namespace + "'" + (served.isPresent()
                ? ", no image to build, and the manifest written by the Pipeline (no repository needed).\n"
                : ".\n") + "// The example's own comments below still speak of 'prod' and 'main'.\n" + text;
    }

    /** A manifest as the body of a Groovy """ string, its tag placeholder the build's IMAGE_TAG. */
    private static String groovyText(Path manifest) {
        String text;
        try {
            text = Files.readString(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (text.contains("\"\"\"") || !text.contains("__IMAGE_TAG__")) {
            throw new IllegalStateException(manifest.getFileName() + " cannot be written by the Pipeline as it is");
        }
        return text.replace("\\", "\\\\").replace("$", "\\$").replace("__IMAGE_TAG__", "${env.IMAGE_TAG}");
    }

    private static String replace(String text, String literal, String replacement, String directory) {
        if (!text.contains(literal)) {
            throw new IllegalStateException("examples/" + directory + "/Jenkinsfile no longer has " + literal
                    + ": update LabExamples");
        }
        return text.replace(literal, replacement);
    }

    private static String replace(String text, Pattern pattern, Function<Matcher, String> replacement, String directory) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int n = 0;
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(m)));
            n++;
        }
        if (n == 0) {
            throw new IllegalStateException("examples/" + directory + "/Jenkinsfile no longer matches " + pattern
                    + ": update LabExamples");
        }
        m.appendTail(out);
        return out.toString();
    }
}
