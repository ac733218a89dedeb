package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * <b>TEST CODE: a simulation, not Kubernetes.</b> On top of the fabric8 {@code KubernetesMockServer} in CRUD mode
 * (which stores objects but runs no controllers), it plays the Deployment and ReplicaSet controllers, the scheduler
 * and the kubelet just well enough for the plugin's engine:
 * <ul>
 *   <li>it watches the Deployments of one namespace (a fabric8 informer);</li>
 *   <li>per Deployment and pod template it keeps one ReplicaSet {@code <deployment>-<hash>} (owned by the
 *       Deployment) and {@code spec.replicas} Pods {@code <deployment>-<hash>-<random>} with the template's labels
 *       plus {@code pod-template-hash}; a new template replaces them all at once (like the Recreate strategy);</li>
 *   <li>after a configurable delay it writes pod status and Deployment status (observedGeneration, replicas,
 *       updatedReplicas, readyReplicas, availableReplicas, conditions) through the status subresource
 *       (a PUT with the resourceVersion read for Deployments, {@code editStatus} for pods), never with a main-resource
 *       PUT, which in the mock would overwrite the whole object;</li>
 *   <li>it writes core/v1 Events as the scheduler, kubelet and ReplicaSet controller would.</li>
 * </ul>
 * What each Deployment does is a {@link Behaviour}, chosen by Deployment name or by container image: ready after a
 * delay (the default, a few ms), stuck Pending with {@code FailedScheduling}, image pull errors, a crash loop, a
 * failing readiness probe, exceeded quota, or only k of n ready. Scaling to 0 deletes the pods and zeroes the status.
 *
 * <p>Everything runs on one thread, in order, with a seeded random for pod names: deterministic and fast. Status
 * writes are idempotent (nothing is written when nothing changed), so the controller loop settles. {@link #awaitIdle}
 * waits until no work is queued; {@link #close} stops the informer and the thread.
 */
public final class SimulatedControlPlane implements AutoCloseable {

    /** Resyncs re-deliver every Deployment, so a watch event lost in the mock cannot stall a test. */
    private static final long RESYNC_MILLIS = 100;

    /** What a simulated Deployment's pods do. */
    public sealed interface Behaviour {}

    /** All pods become Running and Ready after the delay. */
    public record Ready(Duration delay) implements Behaviour {}

    /** Pods stay Pending, unschedulable, with a {@code FailedScheduling} event carrying the message. */
    public record Unschedulable(String message) implements Behaviour {}

    /** Containers wait with {@code ErrImagePull} or {@code ImagePullBackOff}. */
    public record ImagePullError(String reason) implements Behaviour {}

    /** Containers are in {@code CrashLoopBackOff} after {@code restarts} restarts; last exit with reason and code. */
    public record CrashLoop(int restarts, String lastReason, int exitCode) implements Behaviour {}

    /** Containers run, but the readiness probe fails: pods not ready, {@code Unhealthy} events. */
    public record ReadinessProbeFailing(String message) implements Behaviour {}

    /** The ReplicaSet cannot create pods: {@code FailedCreate} events and a {@code ReplicaFailure} condition. */
    public record QuotaExceeded(String message) implements Behaviour {}

    /** Only {@code ready} of the pods become ready; the others run without becoming ready, and no event says why. */
    public record PartlyReady(int ready) implements Behaviour {}

    public static Behaviour unschedulableInsufficientCpu() {
        return new Unschedulable("0/3 nodes are available: 3 Insufficient cpu.");
    }

    public static Behaviour imagePullBackOff() {
        return new ImagePullError("ImagePullBackOff");
    }

    public static Behaviour crashLoop() {
        return new CrashLoop(4, "Error", 1);
    }

    public static Behaviour readinessProbeFailing() {
        return new ReadinessProbeFailing("Readiness probe failed: HTTP probe failed with statuscode: 503");
    }

    public static Behaviour quotaExceeded() {
        return new QuotaExceeded("exceeded quota: compute-resources, requested: cpu=500m, used: cpu=2, limited: cpu=2");
    }

    private static final String HASH_LABEL = "pod-template-hash";

    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService executor;
    private final SharedIndexInformer<Deployment> informer;
    private final Map<String, Behaviour> byName = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> byImage = new ConcurrentHashMap<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Object idle = new Object();
    private int queued; // guarded by idle
    private volatile boolean closed;
    private volatile Duration defaultDelay;

    // Only touched on the executor thread:
    private final Map<String, State> states = new TreeMap<>();
    private final Random random = new Random(20240501L);

    /** Per Deployment: its current ReplicaSet, pods, and what has been written for them. */
    private static final class State {
        String hash;
        String replicaSet;
        String replicaSetUid;
        final TreeSet<String> pods = new TreeSet<>();
        final Map<String, String> podStatusWritten = new TreeMap<>();
        final Set<String> eventsWritten = new TreeSet<>();
    }

    public SimulatedControlPlane(KubernetesClient client, String namespace) {
        this(client, namespace, Duration.ofMillis(5));
    }

    public SimulatedControlPlane(KubernetesClient client, String namespace, Duration defaultDelay) {
        this.client = client;
        this.namespace = namespace;
        this.defaultDelay = defaultDelay;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulated-control-plane-" + namespace);
            t.setDaemon(true);
            return t;
        });
        this.informer = client.apps().deployments().inNamespace(namespace).inform(DeploymentEvents.byName(this::submit), RESYNC_MILLIS);
    }

    /**
     * Makes the Deployment with that name, or any Deployment with a container of that image, behave so. A key with
     * ':', '/' or '@' is an image (only the containers with that image fail); anything else a Deployment name (all its
     * containers fail). A Deployment's name wins over its images. Existing Deployments are reconciled again.
     */
    public SimulatedControlPlane behave(String deploymentNameOrImage, Behaviour behaviour) {
        if (deploymentNameOrImage.contains(":") || deploymentNameOrImage.contains("@") || deploymentNameOrImage.contains("/")) {
            byImage.put(deploymentNameOrImage, behaviour);
        } else {
            byName.put(deploymentNameOrImage, behaviour);
        }
        for (String name : List.copyOf(knownDeployments())) {
            submit(name);
        }
        return this;
    }

    /** The delay of {@link Ready} for Deployments without a behaviour of their own. */
    public SimulatedControlPlane defaultDelay(Duration delay) {
        this.defaultDelay = delay;
        return this;
    }

    /** Failures inside the simulation (tests may assert there are none). */
    public List<Throwable> errors() {
        return List.copyOf(errors);
    }

    /** Waits until no reconciliation is queued or running. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (queued > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        informer.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ scheduling

    private List<String> knownDeployments() {
        List<String> names = new ArrayList<>();
        for (Deployment d : informer.getStore().list()) {
            names.add(d.getMetadata().getName());
        }
        return names;
    }

    private void submit(String name) {
        schedule(() -> conflictsRequeue(name, () -> reconcile(name)), 0);
    }

    /**
     * Runs a controller's step; a 409 (the engine changed the Deployment between our read and our write) requeues the
     * Deployment, as a real controller does, instead of counting as a failure of the simulation.
     */
    private void conflictsRequeue(String name, Runnable step) {
        try {
            step.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            submit(name);
        }
    }

    private void schedule(Runnable task, long delayMillis) {
        if (closed) {
            return;
        }
        synchronized (idle) {
            queued++;
        }
        try {
            executor.schedule(() -> {
                try {
                    if (!closed) {
                        task.run();
                    }
                } catch (RuntimeException e) {
                    if (!closed) {
                        errors.add(e);
                    }
                } finally {
                    done();
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            done();
        }
    }

    private void done() {
        synchronized (idle) {
            queued--;
            idle.notifyAll();
        }
    }

    // -------------------------------------------------------------------- the "controllers" (executor thread)

    private void reconcile(String name) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        State st = states.get(name);
        if (d == null || d.getMetadata().getDeletionTimestamp() != null) {
            if (st != null) {
                deleteReplicaSet(st);
                states.remove(name);
            }
            return;
        }
        if (st == null) {
            st = new State();
            states.put(name, st);
        }
        PodTemplateSpec template = d.getSpec().getTemplate();
        String hash = hash(template);
        if (!hash.equals(st.hash)) {
            deleteReplicaSet(st);
            st.hash = hash;
            st.replicaSet = name + "-" + hash;
            ReplicaSet rs = client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName(st.replicaSet)
                    .withNamespace(namespace)
                    .withLabels(podLabels(template, hash))
                    .withOwnerReferences(owner("apps/v1", "Deployment", name, d.getMetadata().getUid()))
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(desired(d))
                    .withNewSelector().withMatchLabels(podLabels(template, hash)).endSelector()
                    .withTemplate(template)
                    .endSpec()
                    .build()).create();
            st.replicaSetUid = rs.getMetadata().getUid();
        }

        Behaviour behaviour = behaviourOf(d);
        int desired = behaviour instanceof QuotaExceeded ? 0 : desired(d);
        while (st.pods.size() > desired) {
            String pod = st.pods.last();
            client.pods().inNamespace(namespace).withName(pod).delete();
            st.pods.remove(pod);
            st.podStatusWritten.remove(pod);
        }
        while (st.pods.size() < desired) {
            String pod = st.replicaSet + "-" + suffix();
            client.pods().inNamespace(namespace).resource(new PodBuilder()
                    .withNewMetadata()
                    .withName(pod)
                    .withNamespace(namespace)
                    .withLabels(podLabels(template, hash))
                    .withOwnerReferences(owner("apps/v1", "ReplicaSet", st.replicaSet, st.replicaSetUid))
                    .endMetadata()
                    .withSpec(template.getSpec())
                    .withStatus(new PodStatusBuilder().withPhase("Pending").build())
                    .build()).create();
            st.pods.add(pod);
        }
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        long delay = behaviour instanceof Ready r ? r.delay().toMillis() : defaultDelay.toMillis();
        schedule(() -> conflictsRequeue(name, () -> kubelet(name, generation)), delay);
    }

    /** After the delay: pod statuses, events and the Deployment's status, each written only when it changes. */
    private void kubelet(String name, long generation) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        State st = states.get(name);
        if (d == null || st == null) {
            return;
        }
        if (!Objects.equals(d.getMetadata().getGeneration() == null ? 0L : d.getMetadata().getGeneration(), generation)) {
            submit(name); // the spec changed since this was scheduled: reconcile the new one
            return;
        }
        Behaviour behaviour = behaviourOf(d);
        String failingImage = byName.containsKey(name) ? null : imageWithBehaviour(d);
        int desired = desired(d);
        int index = 0;
        int ready = 0;
        for (String pod : st.pods) {
            boolean podReady = behaviour instanceof Ready || (behaviour instanceof PartlyReady p && index < p.ready());
            if (podReady) {
                ready++;
            }
            String key = behaviour + "|" + podReady;
            if (!key.equals(st.podStatusWritten.get(pod))) {
                PodStatus status = podStatus(d, pod, behaviour, podReady, failingImage);
                client.pods().inNamespace(namespace).withName(pod).editStatus(p -> new PodBuilder(p).withStatus(status).build());
                st.podStatusWritten.put(pod, key);
            }
            podEvents(st, d, pod, behaviour, failingImage);
            index++;
        }
        if (behaviour instanceof QuotaExceeded q && desired > 0) {
            event(st, "ReplicaSet", st.replicaSet, st.replicaSetUid, "FailedCreate", "replicaset-controller",
                    "Error creating: pods \"" + st.replicaSet + "-" + st.hash.substring(0, 5) + "\" is forbidden: " + q.message());
        }
        DeploymentStatus status = deploymentStatus(d, behaviour, st.pods.size(), ready, generation);
        if (!sameStatus(d.getStatus(), status)) {
            writeStatus(d, status);
        }
    }

    /**
     * Replaces the whole status through the status subresource (a PUT to {@code .../status}), as the Deployment
     * controller does, carrying the resourceVersion just read: a Deployment changed since then answers 409, which
     * requeues it ({@link #conflictsRequeue}). Never a merge patch: the mock merges arrays instead of replacing them,
     * so every write would append to {@code status.conditions}, and the status would never settle. Never a JSON patch
     * either ({@code editStatus}): the mock never answers one whose "replace" ops meet a status that the engine's PUT
     * has just cleared.
     */
    private void writeStatus(Deployment read, DeploymentStatus status) {
        Deployment next = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(read).withStatus(status).build();
        client.apps().deployments().inNamespace(namespace).resource(next).updateStatus();
    }

    private PodStatus podStatus(Deployment d, String pod, Behaviour behaviour, boolean ready, String failingImage) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        if (behaviour instanceof Unschedulable u) {
            return new PodStatusBuilder().withPhase("Pending")
                    .withConditions(condition("PodScheduled", false, "Unschedulable", u.message()))
                    .build();
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        boolean running = true;
        for (Container c : containers) {
            boolean affected = failingImage == null || failingImage.equals(c.getImage());
            ContainerStatusBuilder cs = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withRestartCount(0);
            if (affected && behaviour instanceof ImagePullError e) {
                running = false;
                cs.withReady(false).withNewState().withNewWaiting().withReason(e.reason())
                        .withMessage("Back-off pulling image \"" + c.getImage() + "\"").endWaiting().endState();
            } else if (affected && behaviour instanceof CrashLoop crash) {
                cs.withReady(false).withRestartCount(crash.restarts())
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off 40s restarting failed container=" + c.getName() + " pod=" + pod).endWaiting().endState()
                        .withNewLastState().withNewTerminated().withReason(crash.lastReason()).withExitCode(crash.exitCode())
                        .endTerminated().endLastState();
            } else {
                boolean containerReady = ready || !(affected && (behaviour instanceof ReadinessProbeFailing || behaviour instanceof PartlyReady));
                cs.withReady(containerReady).withStarted(true).withNewState().withNewRunning().withStartedAt(now()).endRunning().endState();
            }
            statuses.add(cs.build());
        }
        return new PodStatusBuilder()
                .withPhase(running ? "Running" : "Pending")
                .withConditions(
                        condition("PodScheduled", true, null, null),
                        condition("ContainersReady", ready, ready ? null : "ContainersNotReady", null),
                        condition("Ready", ready, ready ? null : "ContainersNotReady", null))
                .withContainerStatuses(statuses)
                .build();
    }

    private void podEvents(State st, Deployment d, String pod, Behaviour behaviour, String failingImage) {
        if (behaviour instanceof Unschedulable u) {
            event(st, "Pod", pod, null, "FailedScheduling", "default-scheduler", u.message());
        } else if (behaviour instanceof ImagePullError) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                if (failingImage == null || failingImage.equals(c.getImage())) {
                    event(st, "Pod", pod, null, "Failed", "kubelet", "Failed to pull image \"" + c.getImage()
                            + "\": rpc error: code = NotFound desc = manifest unknown");
                }
            }
        } else if (behaviour instanceof CrashLoop) {
            event(st, "Pod", pod, null, "BackOff", "kubelet", "Back-off restarting failed container");
        } else if (behaviour instanceof ReadinessProbeFailing r) {
            event(st, "Pod", pod, null, "Unhealthy", "kubelet", r.message());
        }
    }

    private static DeploymentStatus deploymentStatus(Deployment d, Behaviour behaviour, int pods, int ready, long generation) {
        int desired = desired(d);
        List<DeploymentCondition> conditions = new ArrayList<>();
        conditions.add(new DeploymentConditionBuilder().withType("Available").withStatus(ready >= desired ? "True" : "False")
                .withReason(ready >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable").build());
        if (behaviour instanceof QuotaExceeded q && desired > 0) {
            conditions.add(new DeploymentConditionBuilder().withType("ReplicaFailure").withStatus("True").withReason("FailedCreate")
                    .withMessage(q.message()).build());
        }
        return new DeploymentStatusBuilder()
                .withObservedGeneration(generation)
                .withReplicas(pods)
                .withUpdatedReplicas(pods)
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withUnavailableReplicas(Math.max(0, desired - ready))
                .withConditions(conditions)
                .build();
    }

    private static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
        if (a == null) {
            return false;
        }
        return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(a.getReplicas(), b.getReplicas())
                && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
                && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
                && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas())
                && Objects.equals(a.getUnavailableReplicas(), b.getUnavailableReplicas())
                && conditionKeys(a).equals(conditionKeys(b));
    }

    private static List<String> conditionKeys(DeploymentStatus s) {
        List<String> keys = new ArrayList<>();
        for (DeploymentCondition c : s.getConditions() == null ? List.<DeploymentCondition>of() : s.getConditions()) {
            keys.add(c.getType() + "=" + c.getStatus() + "/" + c.getReason() + "/" + c.getMessage());
        }
        return keys;
    }

    private void event(State st, String kind, String name, String uid, String reason, String component, String message) {
        if (!st.eventsWritten.add(kind + "/" + name + "/" + reason + "/" + message)) {
            return;
        }
        ObjectReference involved = new ObjectReferenceBuilder().withKind(kind).withName(name).withNamespace(namespace)
                .withUid(uid).build();
        Event event = new EventBuilder()
                .withNewMetadata().withName(name + "." + Long.toHexString(random.nextLong() & Long.MAX_VALUE)).withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(involved)
                .withReason(reason)
                .withMessage(message)
                .withType("Warning")
                .withCount(1)
                .withFirstTimestamp(now())
                .withLastTimestamp(now())
                .withNewSource().withComponent(component).endSource()
                .build();
        client.v1().events().inNamespace(namespace).resource(event).create();
    }

    private void deleteReplicaSet(State st) {
        for (String pod : st.pods) {
            client.pods().inNamespace(namespace).withName(pod).delete();
        }
        st.pods.clear();
        st.podStatusWritten.clear();
        st.eventsWritten.clear();
        if (st.replicaSet != null) {
            client.apps().replicaSets().inNamespace(namespace).withName(st.replicaSet).delete();
        }
        st.replicaSet = null;
        st.hash = null;
    }

    private Behaviour behaviourOf(Deployment d) {
        Behaviour b = byName.get(d.getMetadata().getName());
        if (b != null) {
            return b;
        }
        String image = imageWithBehaviour(d);
        return image != null ? byImage.get(image) : new Ready(defaultDelay);
    }

    private String imageWithBehaviour(Deployment d) {
        for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
            if (c.getImage() != null && byImage.containsKey(c.getImage())) {
                return c.getImage();
            }
        }
        return null;
    }

    private static int desired(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private static Map<String, String> podLabels(PodTemplateSpec template, String hash) {
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
        labels.put(HASH_LABEL, hash);
        return labels;
    }

    private static OwnerReference owner(String apiVersion, String kind, String name, String uid) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(uid)
                .withController(true).build();
    }

    private static PodCondition condition(String type, boolean status, String reason, String message) {
        return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
                .withMessage(message).build();
    }

    private String suffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String hash(PodTemplateSpec template) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(template).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
