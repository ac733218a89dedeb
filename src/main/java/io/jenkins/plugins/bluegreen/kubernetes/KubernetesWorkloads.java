package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import static io.jenkins.plugins.bluegreen.kubernetes.ClusterCalls.call;
import static io.jenkins.plugins.bluegreen.kubernetes.ClusterCalls.cluster;
import static io.jenkins.plugins.bluegreen.kubernetes.DeploymentReadings.annotation;
import static io.jenkins.plugins.bluegreen.kubernetes.DeploymentReadings.desiredReplicas;
import static io.jenkins.plugins.bluegreen.kubernetes.DeploymentReadings.firstImage;
import static io.jenkins.plugins.bluegreen.kubernetes.DeploymentReadings.isReady;
import static io.jenkins.plugins.bluegreen.kubernetes.DeploymentReadings.labels;
import static io.jenkins.plugins.bluegreen.kubernetes.DeploymentReadings.readyReplicas;
import static io.jenkins.plugins.bluegreen.kubernetes.DeploymentReadings.selector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.Readiness;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.Workload;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
            REVISION_ANNOTATION,
            ColorBundle.OBJECTS_ANNOTATION);

    private static final int MAX_ATTEMPTS = 5;
    private static final Duration DELETE_WAIT = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final String namespace;
    private final String service;
    private final KubernetesSerialization serialization;
    private final ColorServices services;
    private final BundleObjects bundles;

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
        this.services = new ColorServices(client, namespace, service);
        this.bundles = new BundleObjects(client, namespace, service);
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
            revision = Revisions.of(serialization, withoutColor(serialization.clone(d.getSpec().getTemplate())));
        }
        List<String> objects = new ArrayList<>(List.of("Deployment/" + d.getMetadata().getName(), "Service/" + name(color)));
        String bundle = annotation(d, ColorBundle.OBJECTS_ANNOTATION);
        Integer autoscaled = null;
        for (String o : bundle == null || bundle.isBlank() ? new String[0] : bundle.split(",")) {
            objects.add(o);
            if (o.startsWith("HorizontalPodAutoscaler/")) {
                HorizontalPodAutoscaler hpa = bundles.autoscaler(o.substring(o.indexOf('/') + 1));
                if (hpa != null && hpa.getStatus() != null && hpa.getStatus().getDesiredReplicas() != null) {
                    autoscaled = hpa.getStatus().getDesiredReplicas();
                }
            }
        }
        // while an autoscaler runs the colour, what it wants is the capacity to measure readiness against
        int desired = autoscaled != null ? autoscaled : desiredReplicas(d);
        int ready = Math.min(desired, readyReplicas(d));
        return new Workload(color, d.getMetadata().getName(), firstImage(d), revision, desired, ready, objects);
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
        bundles.deleteLeftovers(color, plan.objects()); // the engine applies only the idle colour
        // what the pods mount and run as exists before they start; what selects or scales them comes after
        int afterPods = BundleKinds.order("Service");
        bundles.apply(plan.objects().stream().filter(o -> BundleKinds.order(o.getKind()) < afterPods).toList());
        Deployment result = upsertDeployment(plan);
        services.ensureService(plan.service());
        bundles.apply(plan.objects().stream().filter(o -> BundleKinds.order(o.getKind()) >= afterPods).toList());
        return toWorkload(color, result);
    }

    @Override
    public void retire(Color color) {
        scale(color, 0); // deletes the autoscaler first
        bundles.deleteAll(color);
    }

    /**
     * What {@link #apply} writes, computed without writing anything.
     *
     * @param objects the bundle's other objects, named and referenced for the colour, in apply order
     * @param autoscaled whether an autoscaler in the bundle owns the Deployment's replicas
     */
    record Plan(Deployment deployment, String revision, Service service, List<HasMetadata> objects, boolean autoscaled) {}

    Plan plan(Color color, CandidateSource source, Color stable, int replicas) {
        if (source instanceof CandidateSource.PerColor perColor) {
            source = perColor.forColor(color); // rendered for each colour (a Helm chart): this colour's text
        }
        Deployment base;
        Service frontService = null;
        List<HasMetadata> extras;
        if (source instanceof CandidateSource.Manifest manifest) {
            Manifests.Parsed parsed = Manifests.parse(manifest.text(), serialization);
            requireOwnNamespace(parsed);
            base = serialization.clone(parsed.deployment());
            frontService = parsed.frontService(service);
            extras = parsed.extras(service);
        } else if (source instanceof CandidateSource.NewImage newImage) {
            base = fromStable(color, stable, newImage);
            extras = ColorBundle.neutral(bundles.list(stable), base.getSpec().getTemplate().getSpec(), name(color), stable,
                    serialization);
        } else {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "no candidate source");
        }
        String name = name(color);
        if (base.getMetadata() == null) {
            base.setMetadata(new ObjectMeta());
        }
        String sourceName = base.getMetadata().getName() == null ? name : base.getMetadata().getName();
        base.getMetadata().setName(name);
        Manifests.checkDeployment(base);

        PodTemplateSpec template = withoutColor(base.getSpec().getTemplate());
        base.getSpec().getSelector().getMatchLabels().remove(COLOR_LABEL);
        // the bundle as written, before it is named for a colour: blue and green of one source share a revision
        String revision = extras.isEmpty() ? Revisions.of(serialization, template)
                : Revisions.of(serialization, List.of(template, extras));
        List<HasMetadata> objects = ColorBundle.forColor(extras, template.getSpec(), sourceName, name, service, namespace, color,
                serialization);

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
        if (!objects.isEmpty()) {
            annotations.put(ColorBundle.OBJECTS_ANNOTATION, ColorBundle.describe(objects));
        }
        meta.setAnnotations(annotations);
        base.setMetadata(meta);
        base.setStatus(null);

        Integer own = base.getSpec().getReplicas();
        int wanted = replicas > 0 ? replicas : own != null && own > 0 ? own : 1;
        HorizontalPodAutoscaler hpa = objects.stream().filter(HorizontalPodAutoscaler.class::isInstance)
                .map(HorizontalPodAutoscaler.class::cast).findFirst().orElse(null);
        if (hpa != null && hpa.getSpec().getMinReplicas() != null) {
            wanted = Math.max(wanted, hpa.getSpec().getMinReplicas()); // the autoscaler would raise it at once
        }
        base.getSpec().setReplicas(wanted);
        base.getSpec().getSelector().getMatchLabels().put(COLOR_LABEL, color.label());
        template.getMetadata().getLabels().put(COLOR_LABEL, color.label());

        Service colorService = services.colorService(name, base.getSpec().getSelector().getMatchLabels(), frontService, template);
        return new Plan(base, revision, colorService, objects, hpa != null);
    }

    /** Every object of a manifest is for the rollout's namespace: one that names another is refused, not moved. */
    private void requireOwnNamespace(Manifests.Parsed parsed) {
        List<HasMetadata> all = new ArrayList<>(parsed.others());
        all.add(parsed.deployment());
        for (HasMetadata o : all) {
            String own = o.getMetadata() == null ? null : o.getMetadata().getNamespace();
            if (own != null && !own.isBlank() && !own.equals(namespace)) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the " + o.getKind() + " '"
                        + o.getMetadata().getName() + "' of the manifest is for namespace '" + own + "', but the rollout is in '"
                        + namespace + "'");
            }
        }
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
                    if (desiredReplicas(existing) == desired.getSpec().getReplicas()
                            || (plan.autoscaled() && desiredReplicas(existing) > 0)) { // the autoscaler's to change

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

    // --------------------------------------------------------------------------------------------------- scale

    @Override
    public void scale(Color color, int replicas) {
        if (replicas < 0) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "replicas must not be negative (" + replicas + ")");
        }
        if (replicas == 0) {
            bundles.deleteAutoscalers(color); // it would scale the colour back up
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


}
