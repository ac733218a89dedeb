package io.jenkins.plugins.bluegreen.kubernetes;

import static io.jenkins.plugins.bluegreen.kubernetes.ClusterCalls.call;
import static io.jenkins.plugins.bluegreen.kubernetes.ClusterCalls.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ServiceResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ClusterIP Service {@code <service>-<color>} that selects exactly one colour's pods, for routers that address
 * colours by Service and for smoke tests: made from the manifest's Service for the service, or the live one, or the
 * containers' ports; written so that a re-apply of the same thing changes nothing.
 */
final class ColorServices {

    private static final int MAX_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final String namespace;
    private final String service;
    private final KubernetesSerialization serialization;

    ColorServices(KubernetesClient client, String namespace, String service) {
        this.client = client;
        this.namespace = namespace;
        this.service = service;
        this.serialization = client.getKubernetesSerialization();
    }

    /** The colour Service {@code name} selecting {@code podSelector} (the colour's matchLabels, colour included). */
    Service colorService(String name, Map<String, String> podSelector, Service frontService, PodTemplateSpec template) {
        Map<String, String> selector = new TreeMap<>(podSelector);
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(new LinkedHashMap<>(selector))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(selector)
                .withPorts(servicePorts(frontService, template))
                .endSpec()
                .build();
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

    void ensureService(Service desired) {
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
}
