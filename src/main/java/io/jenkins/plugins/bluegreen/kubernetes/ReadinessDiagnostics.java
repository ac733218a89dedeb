package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Explains, in a few short sentences, why a colour's Deployment is not ready. It reads the Deployment's conditions,
 * its ReplicaSets and their events (quota: {@code FailedCreate ... exceeded quota}), and the colour's pods (selected
 * by the Deployment's matchLabels plus the colour label) with their container states and events: Pending pods and
 * {@code FailedScheduling}, image pull errors, crash loops, failing readiness probes. Identical causes are grouped
 * ("3 pods Pending: 0/3 nodes are available: 3 Insufficient cpu."). Only names, reasons, images, counts and
 * the messages of the scheduler, the kubelet and the controllers are used: never the pod spec's environment,
 * arguments or mounted values.
 *
 * <p>Events are listed once for the namespace and matched by {@code involvedObject} here, not with a field selector:
 * the fabric8 mock server ignores field selectors on {@code involvedObject.*} (it answers an empty list).
 */
public final class ReadinessDiagnostics {

    private static final int MAX_CAUSES = 5;
    private static final int MAX_MESSAGE = 200;
    private static final Set<String> PULL_ERRORS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
    private static final Set<String> START_ERRORS = Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError");
    private static final Pattern FORBIDDEN_POD = Pattern.compile("^(Error creating: )?pods \"[^\"]*\" is forbidden: ");

    private final KubernetesClient client;
    private final String namespace;

    public ReadinessDiagnostics(KubernetesClient client, String namespace) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /** A short explanation; starts with "k of n replicas ready." and adds what is known about the causes. */
    public String explain(Deployment deployment) {
        int desired = DeploymentReadings.desiredReplicas(deployment);
        int ready = DeploymentReadings.readyReplicas(deployment);
        String head = ready + " of " + desired + " replicas ready.";
        try {
            List<String> causes = causes(deployment);
            if (causes.isEmpty()) {
                return head;
            }
            StringBuilder b = new StringBuilder(head);
            int shown = 0;
            for (String cause : causes) {
                if (shown == MAX_CAUSES) {
                    b.append(" And ").append(causes.size() - shown).append(" more.");
                    break;
                }
                b.append(' ').append(cause);
                shown++;
            }
            return b.toString();
        } catch (KubernetesClientException e) {
            return head + " No details: " + KubernetesClients.describe(e) + ".";
        }
    }

    private List<String> causes(Deployment deployment) {
        Map<String, String> selector = new TreeMap<>();
        if (deployment.getSpec() != null && deployment.getSpec().getSelector() != null
                && deployment.getSpec().getSelector().getMatchLabels() != null) {
            selector.putAll(deployment.getSpec().getSelector().getMatchLabels());
        }
        String color = deployment.getMetadata().getLabels() == null ? null
                : deployment.getMetadata().getLabels().get(Workloads.COLOR_LABEL);
        if (color != null) {
            selector.put(Workloads.COLOR_LABEL, color);
        }
        List<Event> events = client.v1().events().inNamespace(namespace).list().getItems();

        Set<String> sentences = new LinkedHashSet<>();
        Set<String> createFailures = new LinkedHashSet<>();

        // The controller cannot create pods (quota, admission): ReplicaSet events and the Deployment's condition.
        String uid = deployment.getMetadata().getUid();
        List<ReplicaSet> replicaSets = selector.isEmpty() ? List.of()
                : client.apps().replicaSets().inNamespace(namespace).withLabels(selector).list().getItems();
        for (ReplicaSet rs : replicaSets) {
            if (uid != null && !ownedBy(rs.getMetadata().getOwnerReferences(), uid)
                    || rs.getSpec() != null && rs.getSpec().getReplicas() != null && rs.getSpec().getReplicas() == 0) {
                continue; // another Deployment's, or an old template's that was scaled down
            }
            Event latest = latest(events, "ReplicaSet", rs.getMetadata().getName(), "FailedCreate");
            if (latest != null) {
                createFailures.add(withoutPodName(latest.getMessage()));
            }
        }
        if (deployment.getStatus() != null && deployment.getStatus().getConditions() != null) {
            for (DeploymentCondition c : deployment.getStatus().getConditions()) {
                if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()) && c.getMessage() != null) {
                    createFailures.add(withoutPodName(c.getMessage()));
                }
            }
        }
        for (String failure : createFailures) {
            sentences.add("Pods cannot be created: " + sentence(failure));
        }

        // The pods themselves.
        List<Pod> pods = selector.isEmpty() ? List.of()
                : client.pods().inNamespace(namespace).withLabels(selector).list().getItems();
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() != null || isReady(pod)) {
                continue;
            }
            classify(pod, events, groups);
        }
        for (Group g : groups.values()) {
            sentences.add(g.sentence());
        }

        if (deployment.getStatus() != null && deployment.getStatus().getConditions() != null) {
            for (DeploymentCondition c : deployment.getStatus().getConditions()) {
                if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                    sentences.add("The rollout exceeded its progress deadline.");
                }
            }
        }
        return new ArrayList<>(sentences);
    }

    /** Adds the pod's most specific cause to its group. */
    private static void classify(Pod pod, List<Event> events, Map<String, Group> groups) {
        List<ContainerStatus> statuses = new ArrayList<>();
        if (pod.getStatus() != null) {
            if (pod.getStatus().getInitContainerStatuses() != null) {
                statuses.addAll(pod.getStatus().getInitContainerStatuses());
            }
            if (pod.getStatus().getContainerStatuses() != null) {
                statuses.addAll(pod.getStatus().getContainerStatuses());
            }
        }
        for (ContainerStatus cs : statuses) {
            ContainerStateWaiting waiting = cs.getState() == null ? null : cs.getState().getWaiting();
            String reason = waiting == null ? null : waiting.getReason();
            if (reason == null) {
                continue;
            }
            if (PULL_ERRORS.contains(reason)) {
                String image = cs.getImage() != null && !cs.getImage().isBlank() ? cs.getImage() : specImage(pod, cs.getName());
                groups.computeIfAbsent("pull|" + image, k -> new Group("cannot pull image " + image)).add(reason, 0);
                return;
            }
            if ("CrashLoopBackOff".equals(reason)) {
                ContainerStateTerminated last = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
                String exit = last == null ? null
                        : (last.getReason() == null ? "" : clean(last.getReason()) + " ") + "(exit code " + last.getExitCode() + ")";
                groups.computeIfAbsent("crash|" + cs.getName() + "|" + exit, k -> Group.crashLoop(cs.getName(), exit))
                        .add(null, cs.getRestartCount() == null ? 0 : cs.getRestartCount());
                return;
            }
            if (START_ERRORS.contains(reason)) {
                String detail = "cannot start container '" + cs.getName() + "' (" + reason + ")"
                        // only the config error's message: it names a missing Secret/ConfigMap key, never a value;
                        // the others may quote the container's command line
                        + (waiting.getMessage() == null || !"CreateContainerConfigError".equals(reason) ? "" : ": " + clean(waiting.getMessage()));
                groups.computeIfAbsent("start|" + detail, k -> new Group(detail)).add(null, 0);
                return;
            }
        }
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
        if ("Pending".equals(phase) && !scheduled(pod)) {
            Event scheduling = latest(events, "Pod", pod.getMetadata().getName(), "FailedScheduling");
            String message = scheduling != null ? scheduling.getMessage() : unscheduledMessage(pod);
            String detail = message == null ? "Pending (not scheduled yet)" : "Pending: " + clean(message);
            groups.computeIfAbsent("pending|" + detail, k -> new Group(detail)).add(null, 0);
            return;
        }
        Event unhealthy = latest(events, "Pod", pod.getMetadata().getName(), "Unhealthy", "Readiness probe failed");
        if (unhealthy != null) {
            String detail = "not ready: " + clean(unhealthy.getMessage());
            groups.computeIfAbsent("probe|" + detail, k -> new Group(detail)).add(null, 0);
            return;
        }
        String detail = phase + " but not ready";
        groups.computeIfAbsent("phase|" + phase, k -> new Group(detail)).add(null, 0);
    }

    private static boolean isReady(Pod pod) {
        return condition(pod, "Ready") != null && "True".equals(condition(pod, "Ready").getStatus());
    }

    private static boolean scheduled(Pod pod) {
        PodCondition c = condition(pod, "PodScheduled");
        if (c != null) {
            return "True".equals(c.getStatus());
        }
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null;
    }

    private static String unscheduledMessage(Pod pod) {
        PodCondition c = condition(pod, "PodScheduled");
        return c == null ? null : c.getMessage();
    }

    private static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static String specImage(Pod pod, String container) {
        if (pod.getSpec() == null) {
            return "?";
        }
        List<Container> all = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        if (pod.getSpec().getContainers() != null) {
            all.addAll(pod.getSpec().getContainers());
        }
        return all.stream().filter(c -> Objects.equals(c.getName(), container)).map(Container::getImage)
                .filter(Objects::nonNull).findFirst().orElse("?");
    }

    private static boolean ownedBy(List<OwnerReference> owners, String uid) {
        return owners != null && owners.stream().anyMatch(o -> uid.equals(o.getUid()));
    }

    /** The newest event about the object with that reason (and message prefix, if given). */
    private static Event latest(List<Event> events, String kind, String name, String reason, String... messagePrefix) {
        return events.stream()
                .filter(e -> e.getInvolvedObject() != null && kind.equals(e.getInvolvedObject().getKind())
                        && name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()) && e.getMessage() != null)
                .filter(e -> messagePrefix.length == 0 || e.getMessage().startsWith(messagePrefix[0]))
                .max(Comparator.comparing(ReadinessDiagnostics::time))
                .orElse(null);
    }

    private static String time(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        return e.getMetadata() == null || e.getMetadata().getCreationTimestamp() == null ? "" : e.getMetadata().getCreationTimestamp();
    }

    /**
     * '[Error creating: ]pods "x-7d9f-abcde" is forbidden: exceeded quota: ...' -> 'exceeded quota: ...': the pod name
     * changes on every try, and the ReplicaSet event and the Deployment condition then read the same.
     */
    private static String withoutPodName(String message) {
        return clean(FORBIDDEN_POD.matcher(message.trim()).replaceFirst(""));
    }

    /** One line, bounded. */
    static String clean(String message) {
        String line = message.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl).strip();
        }
        if (line.length() > MAX_MESSAGE) {
            line = line.substring(0, MAX_MESSAGE - 3) + "...";
        }
        return line;
    }

    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    /** Pods with the same cause: "<n> pod(s) <phrase>", where a crash loop reports the highest restart count. */
    private static final class Group {
        private final String phrase;
        private final String crashContainer;
        private final String exit;
        private int pods;
        private int maxRestarts;
        private final Set<String> reasons = new LinkedHashSet<>();

        Group(String phrase) {
            this(phrase, null, null);
        }

        private Group(String phrase, String crashContainer, String exit) {
            this.phrase = phrase;
            this.crashContainer = crashContainer;
            this.exit = exit;
        }

        static Group crashLoop(String container, String exit) {
            return new Group(null, container, exit);
        }

        Group add(String reason, int restarts) {
            pods++;
            maxRestarts = Math.max(maxRestarts, restarts);
            if (reason != null) {
                reasons.add(reason);
            }
            return this;
        }

        String sentence() {
            StringBuilder b = new StringBuilder().append(pods).append(pods == 1 ? " pod " : " pods ");
            if (crashContainer != null) {
                b.append("in CrashLoopBackOff: container '").append(crashContainer).append("' restarted ")
                        .append(pods == 1 ? "" : "up to ").append(maxRestarts).append(maxRestarts == 1 ? " time" : " times");
                if (exit != null) {
                    b.append(", last exit: ").append(exit);
                }
            } else {
                b.append(phrase);
                if (!reasons.isEmpty()) {
                    b.append(" (").append(String.join(", ", reasons)).append(')');
                }
            }
            return ReadinessDiagnostics.sentence(b.toString());
        }
    }
}
