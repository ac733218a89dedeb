package io.jenkins.plugins.bluegreen.kubernetes;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.bluegreen.engine.ImageReference;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a candidate manifest through fabric8's typed model, and only through it: the text goes to
 * {@link KubernetesSerialization#unmarshal(String)}, which uses snakeyaml-engine (YAML 1.2 core schema: it knows no
 * Java types, so a tag such as {@code !!javax.script.ScriptEngineManager} fails to construct instead of instantiating
 * anything) and Jackson with the Kubernetes type registry (no default typing). Multi-document YAML comes back as a
 * list of resources, a {@code kind: List} as a {@link KubernetesResourceList}; both are accepted.
 *
 * <p>A manifest is a colour's bundle: exactly one {@code apps/v1} Deployment and any of the kinds in
 * {@link BundleKinds#ALLOWED}, each of which the plugin copies per colour ({@link ColorBundle}); routing and
 * cluster-scoped objects are refused. Every container and init container must name an immutable image. Error messages never quote the document: they give a position, a kind, a container name.
 */
public final class Manifests {

    /** The largest manifest accepted, in UTF-8 bytes. */
    public static final int MAX_BYTES = 1024 * 1024;

    private static final KubernetesSerialization DEFAULT_SERIALIZATION = new KubernetesSerialization();
    private static final Pattern YAML_POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private Manifests() {}

    /**
     * A parsed manifest: a colour's bundle as written, before it is named, labelled and referenced for a colour.
     *
     * @param deployment the apps/v1 Deployment
     * @param others every other object, in the manifest's order, each checked by {@link BundleKinds#check}
     */
    public record Parsed(Deployment deployment, List<HasMetadata> others) {

        public Parsed {
            others = List.copyOf(others);
        }

        /**
         * The Service named after the service, which shapes the colour Services {@code <service>-<color>} (the plugin
         * takes its ports) and is not copied; null when there is none.
         */
        public Service frontService(String service) {
            return others.stream().filter(Service.class::isInstance).map(Service.class::cast)
                    .filter(s -> s.getMetadata().getName().equals(service)).findFirst().orElse(null);
        }

        /** The objects copied per colour: all but the Deployment and the front Service. */
        public List<HasMetadata> extras(String service) {
            Service front = frontService(service);
            return others.stream().filter(o -> o != front).toList();
        }
    }

    /** Parses with a default {@link KubernetesSerialization}. */
    public static Parsed parse(String text) {
        return parse(text, DEFAULT_SERIALIZATION);
    }

    /**
     * Parses and checks a manifest.
     *
     * @throws RolloutException of kind INVALID_INPUT saying what is wrong
     */
    public static Parsed parse(String text, KubernetesSerialization serialization) {
        if (text == null || text.isBlank()) {
            throw invalid("the manifest is empty");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw invalid("the manifest is larger than 1 MiB (" + bytes + " bytes)");
        }
        Object parsed = unmarshal(text, serialization);
        List<Object> objects = new ArrayList<>();
        flatten(parsed, objects);
        if (objects.isEmpty()) {
            throw invalid("the manifest holds no Kubernetes object");
        }

        List<Deployment> deployments = new ArrayList<>();
        List<HasMetadata> others = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (Object o : objects) {
            index++;
            if (!(o instanceof HasMetadata resource) || resource.getKind() == null || resource.getKind().isBlank()) {
                throw invalid("document " + index + " of the manifest is not a Kubernetes object (apiVersion and kind are required)");
            }
            String kind = resource.getKind();
            String apiVersion = resource.getApiVersion() == null ? "" : resource.getApiVersion();
            if (kind.equals("Deployment")) {
                if (!apiVersion.equals("apps/v1") || !(resource instanceof Deployment d)) {
                    throw invalid("the Deployment has apiVersion '" + apiVersion + "'; only apps/v1 is supported");
                }
                deployments.add(d);
                continue;
            }
            BundleKinds.check(resource);
            if (!seen.add(kind + "/" + resource.getMetadata().getName())) {
                throw invalid("the manifest holds the " + kind + " '" + resource.getMetadata().getName() + "' twice");
            }
            others.add(resource);
        }
        if (deployments.isEmpty()) {
            throw invalid("the manifest holds no Deployment");
        }
        if (deployments.size() > 1) {
            throw invalid("the manifest holds " + deployments.size() + " Deployments; exactly one is accepted");
        }
        Deployment deployment = deployments.get(0);
        checkDeployment(deployment);
        return new Parsed(deployment, others);
    }

    /**
     * The checks every Deployment the plugin applies must pass, whether it comes from a manifest or from the stable
     * colour: a selector with matchLabels that the pod template carries, at least one container, and immutable
     * images everywhere.
     */
    static void checkDeployment(Deployment deployment) {
        String what = deployment.getMetadata() != null && deployment.getMetadata().getName() != null
                ? "the Deployment '" + deployment.getMetadata().getName() + "'"
                : "the Deployment";
        PodTemplateSpec template = deployment.getSpec() == null ? null : deployment.getSpec().getTemplate();
        PodSpec pod = template == null ? null : template.getSpec();
        if (pod == null || pod.getContainers() == null || pod.getContainers().isEmpty()) {
            throw invalid(what + " has no containers");
        }
        LabelSelector selector = deployment.getSpec().getSelector();
        Map<String, String> matchLabels = selector == null ? null : selector.getMatchLabels();
        if (matchLabels == null || matchLabels.keySet().stream().allMatch(Workloads.COLOR_LABEL::equals)) {
            throw invalid(what + " needs spec.selector.matchLabels (for example app: <name>) so that Services can select its pods");
        }
        Map<String, String> podLabels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (podLabels == null || !e.getValue().equals(podLabels.get(e.getKey()))) {
                throw invalid(what + ": the pod template labels do not match spec.selector.matchLabels (label '" + e.getKey() + "')");
            }
        }
        checkImages(pod.getInitContainers(), "init container");
        checkImages(pod.getContainers(), "container");
    }

    private static void checkImages(List<Container> containers, String what) {
        if (containers == null) {
            return;
        }
        int i = 0;
        for (Container c : containers) {
            String name = c.getName() == null || c.getName().isBlank() ? "#" + (i + 1) : "'" + c.getName() + "'";
            i++;
            try {
                ImageReference.check(c.getImage());
            } catch (RolloutException e) {
                throw invalid(what + " " + name + ": " + e.getMessage());
            }
        }
    }

    private static Object unmarshal(String text, KubernetesSerialization serialization) {
        try {
            return serialization.unmarshal(text);
        } catch (RuntimeException e) {
            throw describe(e);
        }
    }

    private static void flatten(Object parsed, List<Object> into) {
        if (parsed == null) {
            return;
        }
        if (parsed instanceof KubernetesResourceList<?> list) {
            for (Object item : list.getItems()) {
                flatten(item, into);
            }
        } else if (parsed instanceof Collection<?> items) {
            for (Object item : items) {
                flatten(item, into);
            }
        } else {
            into.add(parsed);
        }
    }

    /**
     * Turns a parser failure into a message that names the problem and its position but quotes nothing from the
     * document (YAML and Jackson messages include snippets of the input).
     */
    private static RolloutException describe(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isA(t, "org.snakeyaml.engine.v2.exceptions.DuplicateKeyException")) {
                return invalid("the manifest is not valid YAML: a mapping has the same key twice" + yamlPosition(t));
            }
            if (isA(t, "org.snakeyaml.engine.v2.exceptions.ConstructorException")) {
                return invalid("the manifest uses a YAML tag that is not allowed" + yamlPosition(t)
                        + "; write plain YAML without tags such as !!java... or !custom");
            }
            if (isA(t, "org.snakeyaml.engine.v2.exceptions.YamlEngineException")
                    && String.valueOf(t.getMessage()).startsWith("Number of aliases")) {
                // the parser's guard against an alias bomb ("billion laughs"), which would expand to gigabytes
                return invalid("the manifest refers to YAML anchors (*name) more often than allowed, as an alias bomb does;"
                        + " write the objects out instead");
            }
            if (isA(t, "org.snakeyaml.engine.v2.exceptions.YamlEngineException")) {
                return invalid("the manifest is not valid YAML" + yamlPosition(t));
            }
            if (t instanceof JsonMappingException m) {
                return m.getPath().isEmpty()
                        ? invalid("the manifest does not hold Kubernetes objects (apiVersion and kind are required)")
                        : invalid("the manifest does not fit the Kubernetes schema at " + path(m));
            }
            if (t instanceof JsonProcessingException j) {
                return invalid("the manifest is not valid JSON" + jsonPosition(j.getLocation()));
            }
        }
        return new RolloutException(RolloutException.Kind.INVALID_INPUT, "the manifest cannot be read as Kubernetes objects", e);
    }

    /** Whether {@code t} is an instance of the named class, without linking against it (snakeyaml-engine is fabric8's). */
    private static boolean isA(Throwable t, String className) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    /** The problem position from a snakeyaml-engine message: the last "line L, column C" it mentions. */
    private static String yamlPosition(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return "";
        }
        Matcher m = YAML_POSITION.matcher(message);
        String found = "";
        while (m.find()) {
            found = " (line " + m.group(1) + ", column " + m.group(2) + ")";
        }
        return found;
    }

    private static String jsonPosition(JsonLocation location) {
        if (location == null || location.getLineNr() <= 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String path(JsonMappingException m) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? "the top level" : b.toString();
    }

    private static RolloutException invalid(String message) {
        return new RolloutException(RolloutException.Kind.INVALID_INPUT, message);
    }
}
