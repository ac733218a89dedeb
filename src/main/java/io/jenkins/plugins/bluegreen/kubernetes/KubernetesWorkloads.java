package io.jenkins.plugins.bluegreen.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.ServiceResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.Readiness;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.Workload;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@link Workloads} on Kubernetes through fabric8: the Deployments {@code <service>-blue} and {@code <service>-green}
 * and, for each, a ClusterIP Service {@code <service>-<color>} that selects exactly that colour's pods.
 *
 * <p><b>Revision.</b> The revision of a candidate is the SHA-256 (hex) of its pod template, normalized: serialized by
 * fabric8 to JSON, object keys sorted, nulls and empty objects/arrays dropped, and without the colour label. Blue and
 * green made from the same template therefore carry the same revision; it is stored in the annotation
 * {@link Workloads#REVISION_ANNOTATION} and compared on the next apply (a template the API server defaulted is never
 * re-hashed, so server-side defaults do not make an unchanged source look changed).
 *
 * <p><b>Writes.</b> A new or changed Deployment is created or replaced by an update carrying the resourceVersion it
 * was read with; a 409 re-reads and retries. A changed {@code spec.selector} (immutable in Kubernetes) deletes and
 * re-creates the Deployment. Replica changes alone, and {@link #scale}, use a JSON merge patch of
 * {@code spec.replicas}: it cannot conflict and never touches the status that the Deployment controller writes.
 *
 * <p><b>Namespace check.</b> {@link #validate} and {@link #apply} read the Namespace object and report NOT_FOUND when
 * it is absent. A real API server always has the Namespace object of a namespace that exists; the fabric8 mock server
 * does not create them, so tests create it. When the credentials may not read Namespaces (HTTP 403, common for
 * namespace-scoped service accounts), the check is skipped rather than failing the rollout.
 *
 * <p><b>Readiness.</b> A colour's ready replicas count only for the current generation: 0 until
 * {@code status.observedGeneration >= metadata.generation} and {@code status.updatedReplicas} covers the desired
 * replicas; and pods of older ReplicaSets still counted in {@code status.replicas} are subtracted from
 * {@code readyReplicas}. {@link #awaitReady} waits with fabric8's informer-based {@code waitUntilCondition} (no
 * polling); on timeout, {@link ReadinessDiagnostics} says why.
 */
public final class KubernetesWorkloads implements Workloads {

    /** Deployment annotations that belong to the controller or to kubectl and are not copied to a new colour. */
    private static final Set<String> SYSTEM_ANNOTATIONS = Set.of(
            "deployment.kubernetes.io/revision",
            "kubectl.kubernetes.io/last-applied-configuration",
            REVISION_ANNOTATION);

    private static final int MAX_ATTEMPTS = 5;
    private static final Duration DELETE_WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final String service;
    private final KubernetesSerialization serialization;

    public KubernetesWorkloads(KubernetesClient client, String namespace, String service) {
        this.client = Objects.requireNonNull(client, "client");
        if (!KubernetesNames.isNamespace(namespace)) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "'" + namespace + "' is not a valid namespace");
        }
        // "-green" must still fit a 63-character DNS label (Service names)
        if (service == null || service.length() > 57 || !KubernetesNames.isNamespace(service)) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "'" + service + "' is not a valid service name");
        }
        this.namespace = namespace;
        this.service = service;
        this.serialization = client.getKubernetesSerialization();
    }

    /** {@code <service>-<color>}: the colour's Deployment and Service. */
    public String name(Color color) {
        return service + "-" + color.label();
    }

    // ---------------------------------------------------------------------------------------------------- find

    @Override
    public Optional<Workload> find(Color color) {
        Deployment d = get(color);
        return d == null ? Optional.empty() : Optional.of(toWorkload(color, d));
    }

    private Workload toWorkload(Color color, Deployment d) {
        String revision = annotation(d, REVISION_ANNOTATION);
        if (revision == null && d.getSpec() != null && d.getSpec().getTemplate() != null) {
            revision = revision(withoutColor(serialization.clone(d.getSpec().getTemplate())));
        }
        return new Workload(color, d.getMetadata().getName(), firstImage(d), revision, desiredReplicas(d), readyReplicas(d));
    }

    // ------------------------------------------------------------------------------------------------ validate

    @Override
    public String validate(CandidateSource source, Color stable) {
        requireNamespace();
        Color candidate = stable == null ? Color.BLUE : stable.other();
        return plan(candidate, source, stable, 1).revision();
    }

    // --------------------------------------------------------------------------------------------------- apply

    @Override
    public Workload apply(Color color, CandidateSource source, Color stable, int replicas) {
        Objects.requireNonNull(color, "color");
        if (replicas < 0) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "replicas must not be negative (" + replicas + ")");
        }
        requireNamespace();
        Plan plan = plan(color, source, stable, replicas);
        Deployment result = upsertDeployment(plan);
        ensureService(plan.service());
        return toWorkload(color, result);
    }

    /** What {@link #apply} writes, computed without writing anything. */
    record Plan(Deployment deployment, String revision, Service service) {}

    Plan plan(Color color, CandidateSource source, Color stable, int replicas) {
        Deployment base;
        Service frontService = null;
        if (source instanceof CandidateSource.Manifest manifest) {
            Manifests.Parsed parsed = Manifests.parse(manifest.text(), serialization);
            base = serialization.clone(parsed.deployment());
            frontService = parsed.service();
        } else if (source instanceof CandidateSource.NewImage newImage) {
            base = fromStable(color, stable, newImage);
        } else {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "no candidate source");
        }
        String name = name(color);
        if (base.getMetadata() == null) {
            base.setMetadata(new ObjectMeta());
        }
        base.getMetadata().setName(name);
        Manifests.checkDeployment(base);

        PodTemplateSpec template = withoutColor(base.getSpec().getTemplate());
        base.getSpec().getSelector().getMatchLabels().remove(COLOR_LABEL);
        String revision = revision(template);

        ObjectMeta source0 = base.getMetadata();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(namespace);
        Map<String, String> labels = new LinkedHashMap<>(source0.getLabels() == null ? Map.of() : source0.getLabels());
        labels.put(COLOR_LABEL, color.label());
        meta.setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(source0.getAnnotations() == null ? Map.of() : source0.getAnnotations());
        annotations.keySet().removeAll(SYSTEM_ANNOTATIONS);
        annotations.put(REVISION_ANNOTATION, revision);
        meta.setAnnotations(annotations);
        base.setMetadata(meta);
        base.setStatus(null);

        Integer own = base.getSpec().getReplicas();
        base.getSpec().setReplicas(replicas > 0 ? replicas : own != null && own > 0 ? own : 1);
        base.getSpec().getSelector().getMatchLabels().put(COLOR_LABEL, color.label());
        template.getMetadata().getLabels().put(COLOR_LABEL, color.label());

        Map<String, String> serviceSelector = new TreeMap<>(base.getSpec().getSelector().getMatchLabels());
        List<ServicePort> ports = servicePorts(frontService, template);
        Service colorService = new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(new LinkedHashMap<>(serviceSelector))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(serviceSelector)
                .withPorts(ports)
                .endSpec()
                .build();
        return new Plan(base, revision, colorService);
    }

    /** The stable colour's Deployment with the new image, without anything that belongs to the stable colour. */
    private Deployment fromStable(Color color, Color stable, CandidateSource.NewImage newImage) {
        if (stable == null) {
            throw new RolloutException(RolloutException.Kind.NOT_FOUND, "no colour of " + namespace + "/" + service
                    + " is live to take the new image from; the first rollout needs a manifest");
        }
        if (stable == color) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the candidate colour must differ from the stable colour (" + stable + ")");
        }
        Deployment live = get(stable);
        if (live == null) {
            throw new RolloutException(RolloutException.Kind.NOT_FOUND, "the stable colour's Deployment '" + name(stable)
                    + "' does not exist in namespace '" + namespace + "'");
        }
        Deployment copy = serialization.clone(live);
        if (copy.getSpec() == null || copy.getSpec().getTemplate() == null || copy.getSpec().getTemplate().getSpec() == null
                || copy.getSpec().getTemplate().getSpec().getContainers() == null
                || copy.getSpec().getTemplate().getSpec().getContainers().isEmpty()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the Deployment '" + name(stable) + "' has no containers");
        }
        List<Container> containers = copy.getSpec().getTemplate().getSpec().getContainers();
        Container target;
        if (newImage.container() == null || newImage.container().isBlank()) {
            if (containers.size() > 1) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the Deployment '" + name(stable) + "' has "
                        + containers.size() + " containers (" + containerNames(containers) + "); name the one to change");
            }
            target = containers.get(0);
        } else {
            target = containers.stream().filter(c -> newImage.container().equals(c.getName())).findFirst()
                    .orElseThrow(() -> new RolloutException(RolloutException.Kind.INVALID_INPUT, "the Deployment '" + name(stable)
                            + "' has no container '" + newImage.container() + "' (containers: " + containerNames(containers) + ")"));
        }
        target.setImage(newImage.image());

        ObjectMeta m = copy.getMetadata();
        ObjectMeta fresh = new ObjectMeta();
        fresh.setName(name(color));
        Map<String, String> labels = new LinkedHashMap<>(m.getLabels() == null ? Map.of() : m.getLabels());
        labels.remove(COLOR_LABEL);
        fresh.setLabels(labels);
        fresh.setAnnotations(m.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m.getAnnotations()));
        copy.setMetadata(fresh);
        copy.setStatus(null);
        return copy;
    }

    private static String containerNames(List<Container> containers) {
        return containers.stream().map(c -> c.getName() == null ? "?" : c.getName()).collect(Collectors.joining(", "));
    }

    /** The template with the colour label removed (in place) and with label maps present. */
    private static PodTemplateSpec withoutColor(PodTemplateSpec template) {
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        Map<String, String> labels = template.getMetadata().getLabels() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(template.getMetadata().getLabels());
        labels.remove(COLOR_LABEL);
        template.getMetadata().setLabels(labels);
        return template;
    }

    /**
     * Ports for the colour Service: the manifest's Service if it has any, else the main Service {@code <service>}
     * if it exists, else the containers' ports (named {@code <protocol>-<port>} when they have no name).
     */
    private List<ServicePort> servicePorts(Service frontService, PodTemplateSpec template) {
        List<ServicePort> ports = copyPorts(frontService);
        if (ports.isEmpty()) {
            Service main = call("read Service '" + service + "'", () -> client.services().inNamespace(namespace).withName(service).get());
            ports = copyPorts(main);
        }
        if (ports.isEmpty()) {
            Set<String> seen = new LinkedHashSet<>();
            for (Container c : template.getSpec().getContainers()) {
                for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                    if (p.getContainerPort() == null) {
                        continue;
                    }
                    String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
                    if (!seen.add(protocol + "/" + p.getContainerPort())) {
                        continue;
                    }
                    String portName = p.getName() != null && !p.getName().isBlank()
                            ? p.getName() : protocol.toLowerCase(java.util.Locale.ROOT) + "-" + p.getContainerPort();
                    ports.add(new ServicePortBuilder().withName(portName).withProtocol(protocol).withPort(p.getContainerPort())
                            .withTargetPort(new IntOrString(p.getContainerPort())).build());
                }
            }
        }
        if (ports.isEmpty()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "cannot make the Service '" + service
                    + "-<color>': the manifest has no Service with ports, there is no Service '" + service
                    + "' in namespace '" + namespace + "', and the containers declare no ports");
        }
        return ports;
    }

    private static List<ServicePort> copyPorts(Service s) {
        List<ServicePort> out = new ArrayList<>();
        if (s == null || s.getSpec() == null || s.getSpec().getPorts() == null) {
            return out;
        }
        for (ServicePort p : s.getSpec().getPorts()) {
            if (p.getPort() == null) {
                continue;
            }
            out.add(new ServicePortBuilder()
                    .withName(p.getName())
                    .withProtocol(p.getProtocol() == null ? "TCP" : p.getProtocol())
                    .withAppProtocol(p.getAppProtocol())
                    .withPort(p.getPort())
                    .withTargetPort(p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort())
                    .build());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------- writes

    private Deployment upsertDeployment(Plan plan) {
        Deployment desired = plan.deployment();
        String name = desired.getMetadata().getName();
        RollableScalableResource<Deployment> resource = client.apps().deployments().inNamespace(namespace).withName(name);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Deployment existing = call("read Deployment '" + name + "'", resource::get);
            try {
                if (existing == null) {
                    return client.apps().deployments().inNamespace(namespace).resource(desired).create();
                }
                if (existing.getMetadata().getDeletionTimestamp() != null) {
                    awaitDeleted(resource, name);
                    continue;
                }
                if (!Objects.equals(selector(existing), selector(desired))) {
                    // spec.selector is immutable: a different one means a new Deployment
                    resource.delete();
                    awaitDeleted(resource, name);
                    continue;
                }
                boolean sameTemplate = plan.revision().equals(annotation(existing, REVISION_ANNOTATION))
                        && labels(existing).entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
                if (sameTemplate) {
                    if (desiredReplicas(existing) == desired.getSpec().getReplicas()) {
                        return existing; // idempotent: nothing to write
                    }
                    return patchReplicas(resource, desired.getSpec().getReplicas());
                }
                Deployment replacement = serialization.clone(desired);
                ObjectMeta meta = replacement.getMetadata();
                meta.setResourceVersion(existing.getMetadata().getResourceVersion());
                meta.setFinalizers(existing.getMetadata().getFinalizers());
                meta.setOwnerReferences(existing.getMetadata().getOwnerReferences());
                Map<String, String> annotations = new LinkedHashMap<>();
                if (existing.getMetadata().getAnnotations() != null) {
                    annotations.putAll(existing.getMetadata().getAnnotations());
                }
                annotations.putAll(meta.getAnnotations());
                meta.setAnnotations(annotations);
                return client.apps().deployments().inNamespace(namespace).resource(replacement).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == MAX_ATTEMPTS) {
                    throw cluster("write Deployment '" + name + "'", e);
                }
            }
        }
        throw new RolloutException(RolloutException.Kind.CLUSTER, "the Deployment '" + name + "' kept changing while it was written; try again");
    }

    private void awaitDeleted(RollableScalableResource<Deployment> resource, String name) {
        try {
            resource.waitUntilCondition(Objects::isNull, DELETE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new RolloutException(RolloutException.Kind.CLUSTER, "the Deployment '" + name + "' was not deleted within "
                    + DELETE_WAIT.toSeconds() + " s (finalizers?)", e);
        }
    }

    private void ensureService(Service desired) {
        String name = desired.getMetadata().getName();
        ServiceResource<Service> resource = client.services().inNamespace(namespace).withName(name);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Service existing = call("read Service '" + name + "'", resource::get);
            try {
                if (existing == null) {
                    client.services().inNamespace(namespace).resource(desired).create();
                    return;
                }
                if (sameService(existing, desired)) {
                    return;
                }
                resource.edit(s -> {
                    Service edited = serialization.clone(s);
                    Map<String, String> labels = new LinkedHashMap<>(
                            edited.getMetadata().getLabels() == null ? Map.of() : edited.getMetadata().getLabels());
                    labels.putAll(desired.getMetadata().getLabels());
                    edited.getMetadata().setLabels(labels);
                    edited.getSpec().setType("ClusterIP");
                    edited.getSpec().setSelector(desired.getSpec().getSelector());
                    edited.getSpec().setPorts(desired.getSpec().getPorts());
                    return edited;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == MAX_ATTEMPTS) {
                    throw cluster("write Service '" + name + "'", e);
                }
            }
        }
    }

    private static boolean sameService(Service existing, Service desired) {
        if (existing.getSpec() == null) {
            return false;
        }
        return "ClusterIP".equals(existing.getSpec().getType() == null ? "ClusterIP" : existing.getSpec().getType())
                && Objects.equals(existing.getSpec().getSelector(), desired.getSpec().getSelector())
                && portKeys(existing.getSpec().getPorts()).equals(portKeys(desired.getSpec().getPorts()));
    }

    private static List<String> portKeys(List<ServicePort> ports) {
        List<String> keys = new ArrayList<>();
        for (ServicePort p : ports == null ? List.<ServicePort>of() : ports) {
            IntOrString target = p.getTargetPort();
            String t = target == null ? String.valueOf(p.getPort())
                    : target.getIntVal() != null ? String.valueOf(target.getIntVal()) : target.getStrVal();
            keys.add(p.getName() + "|" + (p.getProtocol() == null ? "TCP" : p.getProtocol()) + "|" + p.getPort() + "|" + t + "|"
                    + p.getAppProtocol());
        }
        return keys;
    }

    // --------------------------------------------------------------------------------------------------- scale

    @Override
    public void scale(Color color, int replicas) {
        if (replicas < 0) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "replicas must not be negative (" + replicas + ")");
        }
        String name = name(color);
        RollableScalableResource<Deployment> resource = client.apps().deployments().inNamespace(namespace).withName(name);
        try {
            if (resource.get() == null) {
                return; // a missing Deployment stays missing
            }
            patchReplicas(resource, replicas);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            throw cluster("scale Deployment '" + name + "'", e);
        }
    }

    /** A JSON merge patch of spec.replicas alone: no resourceVersion, so no conflict, and status is left alone. */
    private static Deployment patchReplicas(RollableScalableResource<Deployment> resource, int replicas) {
        return resource.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
    }

    // ---------------------------------------------------------------------------------------------- awaitReady

    @Override
    public Readiness awaitReady(Color color, Duration timeout) {
        String name = name(color);
        RollableScalableResource<Deployment> resource = client.apps().deployments().inNamespace(namespace).withName(name);
        Deployment d = call("read Deployment '" + name + "'", resource::get);
        if (d == null) {
            return new Readiness(false, 0, 0, "the Deployment '" + name + "' does not exist in namespace '" + namespace + "'.");
        }
        if (!isReady(d)) {
            long millis = timeout == null ? 0 : Math.max(0, timeout.toMillis());
            try {
                if (millis > 0) {
                    d = resource.waitUntilCondition(x -> x == null || isReady(x), millis, TimeUnit.MILLISECONDS);
                }
            } catch (KubernetesClientTimeoutException e) {
                // diagnosed below
            } catch (KubernetesClientException e) {
                if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new RolloutException(RolloutException.Kind.CLUSTER, "interrupted while waiting for the Deployment '"
                            + name + "' to become ready", e);
                }
                throw cluster("watch Deployment '" + name + "'", e);
            }
            if (d == null || !isReady(d)) {
                d = call("read Deployment '" + name + "'", resource::get);
            }
            if (d == null) {
                return new Readiness(false, 0, 0, "the Deployment '" + name + "' was deleted while waiting for it.");
            }
            if (!isReady(d)) {
                String diagnosis = new ReadinessDiagnostics(client, namespace).explain(d);
                return new Readiness(false, readyReplicas(d), desiredReplicas(d), diagnosis);
            }
        }
        return new Readiness(true, readyReplicas(d), desiredReplicas(d), "");
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /** {@code spec.replicas}, 1 when unset (the API server's default). */
    static int desiredReplicas(Deployment d) {
        return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    /**
     * Ready replicas of the current pod template: 0 while the controller has not observed the current generation
     * or has not yet updated all desired replicas; pods of older templates (status.replicas - updatedReplicas) are
     * not counted even when they are ready. Never more than desired.
     */
    static int readyReplicas(Deployment d) {
        DeploymentStatus s = d.getStatus();
        if (s == null || !observed(d)) {
            return 0;
        }
        int desired = desiredReplicas(d);
        int updated = nz(s.getUpdatedReplicas());
        if (updated < desired) {
            return 0;
        }
        int old = Math.max(0, nz(s.getReplicas()) - updated);
        return Math.max(0, Math.min(desired, nz(s.getReadyReplicas()) - old));
    }

    /** All desired replicas of the current generation are ready (and, for zero, no pod is left). */
    static boolean isReady(Deployment d) {
        if (!observed(d)) {
            return false;
        }
        int desired = desiredReplicas(d);
        if (desired == 0) {
            return d.getStatus() == null || nz(d.getStatus().getReplicas()) == 0;
        }
        return readyReplicas(d) >= desired;
    }

    private static boolean observed(Deployment d) {
        Long generation = d.getMetadata() == null ? null : d.getMetadata().getGeneration();
        Long observedGeneration = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
        if (generation == null) {
            return d.getStatus() != null;
        }
        return observedGeneration != null && observedGeneration >= generation;
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    private static String firstImage(Deployment d) {
        if (d.getSpec() == null || d.getSpec().getTemplate() == null || d.getSpec().getTemplate().getSpec() == null) {
            return null;
        }
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        return containers == null || containers.isEmpty() ? null : containers.get(0).getImage();
    }

    private static String annotation(Deployment d, String key) {
        Map<String, String> a = d.getMetadata() == null ? null : d.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    private static Map<String, String> labels(Deployment d) {
        return d.getMetadata() == null || d.getMetadata().getLabels() == null ? Map.of() : d.getMetadata().getLabels();
    }

    private static Map<String, String> selector(Deployment d) {
        LabelSelector s = d.getSpec() == null ? null : d.getSpec().getSelector();
        Map<String, String> m = new TreeMap<>(s == null || s.getMatchLabels() == null ? Map.of() : s.getMatchLabels());
        // matchExpressions take part in equality too
        if (s != null && s.getMatchExpressions() != null && !s.getMatchExpressions().isEmpty()) {
            m.put("\u0000expressions", String.valueOf(s.getMatchExpressions()));
        }
        return m;
    }

    private Deployment get(Color color) {
        String name = name(color);
        return call("read Deployment '" + name + "'", () -> client.apps().deployments().inNamespace(namespace).withName(name).get());
    }

    private void requireNamespace() {
        try {
            if (client.namespaces().withName(namespace).get() == null) {
                throw new RolloutException(RolloutException.Kind.NOT_FOUND, "the namespace '" + namespace + "' does not exist");
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return; // may not read Namespaces: the writes will tell
            }
            throw cluster("read namespace '" + namespace + "'", e);
        }
    }

    /**
     * The revision of a pod template: SHA-256 hex of its canonical JSON (keys sorted; nulls and empty objects or
     * arrays dropped, since the typed model and the API server differ on whether they exist).
     */
    String revision(PodTemplateSpec template) {
        try {
            JsonNode tree = JSON.readTree(serialization.asJson(template));
            JsonNode canonical = canonical(tree);
            byte[] bytes = JSON.writeValueAsBytes(canonical == null ? JSON.createObjectNode() : canonical);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest the pod template", e);
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

    private interface Call<T> {
        T run();
    }

    private static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (KubernetesClientException e) {
            throw cluster(what, e);
        }
    }

    private static RolloutException cluster(String what, KubernetesClientException e) {
        return new RolloutException(RolloutException.Kind.CLUSTER, "cannot " + what + ": " + KubernetesClients.describe(e), e);
    }
}
