package io.jenkins.plugins.bluegreen.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMapEnvSource;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretEnvSource;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.Workloads;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names a bundle's objects for a colour and points every reference inside the bundle at the colour's copies: each
 * object {@code <name>} becomes {@code <name>-<color>}, labelled with the colour and {@link #BUNDLE_LABEL} (what
 * decommission deletes by), and its source name kept in {@link #SOURCE_NAME_ANNOTATION}. The Deployment's pod spec
 * (env {@code valueFrom}, {@code envFrom}, volumes, projected volumes, {@code imagePullSecrets},
 * {@code serviceAccountName}), the autoscaler's {@code scaleTargetRef}, and the budget's and Services' selectors are
 * rewritten; a reference to an object outside the bundle (a Secret managed elsewhere) stays as written.
 *
 * <p>The reverse, {@link #neutral}, turns the stable colour's live objects back into a bundle as written, so that a
 * new image gets copies of the stable colour's ConfigMaps and Secrets instead of reading them.
 */
final class ColorBundle {

    /** On every copied object: the service whose colour owns it. With the colour label, what decommission deletes. */
    static final String BUNDLE_LABEL = "bluegreen.jenkins.io/bundle";
    /** On every copied object: its name in the manifest. */
    static final String SOURCE_NAME_ANNOTATION = "bluegreen.jenkins.io/source-name";
    /** On the colour's Deployment: {@code Kind/name} of every copied object, comma-separated (the record's list). */
    static final String OBJECTS_ANNOTATION = "bluegreen.jenkins.io/bundle-objects";

    private static final int MAX_SERVICE_NAME = 63;
    private static final int MAX_NAME = 253;

    private final Map<String, String> names = new LinkedHashMap<>();

    private ColorBundle() {
    }

    /**
     * The bundle's objects as the colour's copies, in apply order; rewrites {@code pod} (the colour's Deployment's pod
     * spec, a copy) to reference them.
     *
     * @param deploymentName the Deployment's name as the bundle writes it (what an autoscaler targets)
     * @param colorDeployment the colour's Deployment name ({@code <service>-<color>})
     * @throws RolloutException of kind INVALID_INPUT when a name gets too long or an autoscaler targets something else
     */
    static List<HasMetadata> forColor(List<HasMetadata> extras, PodSpec pod, String deploymentName, String colorDeployment,
            String service, String namespace, Color color, KubernetesSerialization serialization) {
        ColorBundle bundle = new ColorBundle();
        for (HasMetadata o : extras) {
            String name = o.getMetadata().getName() + "-" + color.label();
            int max = o instanceof Service ? MAX_SERVICE_NAME : MAX_NAME;
            if (name.length() > max) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the " + o.getKind() + " '"
                        + o.getMetadata().getName() + "' would be named '" + name + "' for the colour, longer than " + max
                        + " characters");
            }
            bundle.names.put(key(o.getKind(), o.getMetadata().getName()), name);
        }
        bundle.rewrite(pod);
        List<HasMetadata> out = new ArrayList<>();
        for (HasMetadata source : extras) {
            HasMetadata o = serialization.clone(source);
            String sourceName = source.getMetadata().getName();
            ObjectMeta meta = new ObjectMeta();
            meta.setName(bundle.names.get(key(o.getKind(), sourceName)));
            meta.setNamespace(namespace);
            Map<String, String> labels = new LinkedHashMap<>(orEmpty(source.getMetadata().getLabels()));
            labels.put(Workloads.COLOR_LABEL, color.label());
            labels.put(BUNDLE_LABEL, service);
            meta.setLabels(labels);
            Map<String, String> annotations = new LinkedHashMap<>(orEmpty(source.getMetadata().getAnnotations()));
            annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
            annotations.put(SOURCE_NAME_ANNOTATION, sourceName);
            meta.setAnnotations(annotations);
            o.setMetadata(meta);
            if (o instanceof HorizontalPodAutoscaler hpa) {
                CrossVersionObjectReference target = hpa.getSpec() == null ? null : hpa.getSpec().getScaleTargetRef();
                if (target == null || !"Deployment".equals(target.getKind()) || !deploymentName.equals(target.getName())) {
                    throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the HorizontalPodAutoscaler '" + sourceName
                            + "' scales " + (target == null ? "nothing" : target.getKind() + " '" + target.getName() + "'")
                            + ", not the manifest's Deployment '" + deploymentName + "'");
                }
                target.setName(colorDeployment);
                hpa.setStatus(null);
            } else if (o instanceof PodDisruptionBudget pdb && pdb.getSpec() != null) {
                LabelSelector selector = pdb.getSpec().getSelector() == null ? new LabelSelector() : pdb.getSpec().getSelector();
                Map<String, String> match = new LinkedHashMap<>(orEmpty(selector.getMatchLabels()));
                match.put(Workloads.COLOR_LABEL, color.label());
                selector.setMatchLabels(match);
                pdb.getSpec().setSelector(selector);
                pdb.setStatus(null);
            } else if (o instanceof Service s && s.getSpec() != null && s.getSpec().getSelector() != null) {
                Map<String, String> selector = new LinkedHashMap<>(s.getSpec().getSelector());
                selector.put(Workloads.COLOR_LABEL, color.label());
                s.getSpec().setSelector(selector);
                s.setStatus(null);
            }
            out.add(o);
        }
        out.sort(Comparator.comparingInt(o -> BundleKinds.order(o.getKind())));
        return out;
    }

    /**
     * The stable colour's live copies as the bundle they were made from: source names back, colour labels and
     * selectors and server-assigned fields gone; rewrites {@code pod} (a copy of the stable Deployment's) to reference
     * the source names, and the autoscaler to target {@code deploymentName}.
     */
    static List<HasMetadata> neutral(List<HasMetadata> live, PodSpec pod, String deploymentName, Color stable,
            KubernetesSerialization serialization) {
        ColorBundle reverse = new ColorBundle();
        List<HasMetadata> out = new ArrayList<>();
        for (HasMetadata copy : live) {
            HasMetadata o = serialization.clone(copy);
            String colorName = o.getMetadata().getName();
            String sourceName = Optional.ofNullable(orEmpty(o.getMetadata().getAnnotations()).get(SOURCE_NAME_ANNOTATION))
                    .orElse(colorName.endsWith("-" + stable.label())
                            ? colorName.substring(0, colorName.length() - stable.label().length() - 1) : colorName);
            reverse.names.put(key(o.getKind(), colorName), sourceName);
            ObjectMeta meta = new ObjectMeta();
            meta.setName(sourceName);
            Map<String, String> labels = new LinkedHashMap<>(orEmpty(o.getMetadata().getLabels()));
            labels.remove(Workloads.COLOR_LABEL);
            labels.remove(BUNDLE_LABEL);
            meta.setLabels(labels);
            Map<String, String> annotations = new LinkedHashMap<>(orEmpty(o.getMetadata().getAnnotations()));
            annotations.remove(SOURCE_NAME_ANNOTATION);
            annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
            meta.setAnnotations(annotations);
            o.setMetadata(meta);
            if (o instanceof HorizontalPodAutoscaler hpa && hpa.getSpec() != null && hpa.getSpec().getScaleTargetRef() != null) {
                hpa.getSpec().getScaleTargetRef().setName(deploymentName);
                hpa.setStatus(null);
            } else if (o instanceof PodDisruptionBudget pdb) {
                if (pdb.getSpec() != null && pdb.getSpec().getSelector() != null && pdb.getSpec().getSelector().getMatchLabels() != null) {
                    pdb.getSpec().getSelector().getMatchLabels().remove(Workloads.COLOR_LABEL);
                }
                pdb.setStatus(null);
            } else if (o instanceof Service s) {
                if (s.getSpec() != null) {
                    if (s.getSpec().getSelector() != null) {
                        s.getSpec().getSelector().remove(Workloads.COLOR_LABEL);
                    }
                    // assigned by the API server, and unique to the live Service
                    s.getSpec().setClusterIP(null);
                    s.getSpec().setClusterIPs(null);
                }
                s.setStatus(null);
            } else if (o instanceof ServiceAccount sa) {
                sa.setSecrets(null); // the token controller's, of the live account
            }
            out.add(o);
        }
        reverse.rewrite(pod);
        return out;
    }

    /** {@code Kind/name} of each object, for the Deployment's {@link #OBJECTS_ANNOTATION}. */
    static String describe(List<HasMetadata> objects) {
        List<String> out = new ArrayList<>();
        for (HasMetadata o : objects) {
            out.add(key(o.getKind(), o.getMetadata().getName()));
        }
        return String.join(",", out);
    }

    private void rewrite(PodSpec pod) {
        if (pod == null) {
            return;
        }
        List<Container> containers = new ArrayList<>(pod.getContainers() == null ? List.of() : pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (Container c : containers) {
            for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                if (e.getValueFrom() == null) {
                    continue;
                }
                ConfigMapKeySelector cm = e.getValueFrom().getConfigMapKeyRef();
                if (cm != null) {
                    cm.setName(name("ConfigMap", cm.getName()));
                }
                SecretKeySelector secret = e.getValueFrom().getSecretKeyRef();
                if (secret != null) {
                    secret.setName(name("Secret", secret.getName()));
                }
            }
            for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                ConfigMapEnvSource cm = from.getConfigMapRef();
                if (cm != null) {
                    cm.setName(name("ConfigMap", cm.getName()));
                }
                SecretEnvSource secret = from.getSecretRef();
                if (secret != null) {
                    secret.setName(name("Secret", secret.getName()));
                }
            }
        }
        for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            if (v.getConfigMap() != null) {
                v.getConfigMap().setName(name("ConfigMap", v.getConfigMap().getName()));
            }
            if (v.getSecret() != null) {
                v.getSecret().setSecretName(name("Secret", v.getSecret().getSecretName()));
            }
            if (v.getProjected() != null && v.getProjected().getSources() != null) {
                for (VolumeProjection p : v.getProjected().getSources()) {
                    if (p.getConfigMap() != null) {
                        p.getConfigMap().setName(name("ConfigMap", p.getConfigMap().getName()));
                    }
                    if (p.getSecret() != null) {
                        p.getSecret().setName(name("Secret", p.getSecret().getName()));
                    }
                }
            }
        }
        for (LocalObjectReference ref : pod.getImagePullSecrets() == null ? List.<LocalObjectReference>of() : pod.getImagePullSecrets()) {
            ref.setName(name("Secret", ref.getName()));
        }
        if (pod.getServiceAccountName() != null) {
            pod.setServiceAccountName(name("ServiceAccount", pod.getServiceAccountName()));
        }
        if (pod.getServiceAccount() != null) { // the deprecated spelling: kept in step, as the API server does
            pod.setServiceAccount(name("ServiceAccount", pod.getServiceAccount()));
        }
    }

    /** The colour's name for a reference into the bundle; a reference to anything else stays as written. */
    private String name(String kind, String name) {
        return name == null ? null : names.getOrDefault(key(kind, name), name);
    }

    private static String key(String kind, String name) {
        return kind + "/" + name;
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
