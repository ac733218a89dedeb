package io.jenkins.plugins.bluegreen.steps;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.config.AlertmanagerServer;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.config.PrometheusServer;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesNames;
import java.util.List;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

/**
 * What the step descriptors' Snippet Generator web methods do, so that each of them is a one-line {@code @POST}
 * method. Drop-downs and the credentials check reveal configuration, so they answer only a user who may configure
 * the job (Item/Extended Read or Credentials/Use Item), or an administrator outside any job; anyone else gets back
 * the value already in the form. The format checks are pure: no permission, no lookup, no network.
 */
final class StepForms {

    /*
     * Credentials are listed and checked as ACL.SYSTEM2, not as Tasks.getAuthenticationOf2(task) for a job that is a
     * Queue.Task: declaring Queue.Task faithfully for the Central build would mean declaring SubTask, ResourceActivity,
     * Label, Node and Queue.Executable with it. SYSTEM2 is what the security checklist and kubernetes-cli use; in an
     * item it yields the GLOBAL credentials of the item's folders and the root, and the build itself resolves the ID
     * with its own authentication (CredentialsResolver.findForRun), so at worst the list offers more than a build
     * under Authorize Project may use.
     */
    private static final Authentication LOOKUP_AS = ACL.SYSTEM2;

    /** SYSTEM-scoped credentials serve Jenkins itself; a build can never use them, so a step must not offer them. */
    private static final CredentialsMatcher USABLE_BY_BUILDS = new NotSystemScoped();

    private StepForms() {}

    /** The clusters of the global configuration, after an empty choice (an inline cluster). */
    static ListBoxModel fillClusterItems(@CheckForNull Item item, @CheckForNull String current) {
        if (!mayConfigure(item)) {
            return currentValueOnly(current);
        }
        return names(BlueGreenGlobalConfiguration.get().getClusters().stream()
                .map(KubernetesCluster::getName).collect(Collectors.toList()), current);
    }

    /** The Prometheus servers of the global configuration, after an empty choice. */
    static ListBoxModel fillPrometheusItems(@CheckForNull Item item, @CheckForNull String current) {
        if (!mayConfigure(item)) {
            return currentValueOnly(current);
        }
        return names(BlueGreenGlobalConfiguration.get().getPrometheusServers().stream()
                .map(PrometheusServer::getName).collect(Collectors.toList()), current);
    }

    /** The configured Alertmanagers, as {@link #fillPrometheusItems} lists Prometheus servers. */
    static ListBoxModel fillAlertmanagerItems(@CheckForNull Item item, @CheckForNull String current) {
        if (!mayConfigure(item)) {
            return currentValueOnly(current);
        }
        return names(BlueGreenGlobalConfiguration.get().getAlertmanagerServers().stream()
                .map(AlertmanagerServer::getName).collect(Collectors.toList()), current);
    }

    /**
     * The credentials a build of {@code item} could use for {@code url}, of the kinds {@code matcher} accepts, as the
     * credentials plugin recommends; the current value always stays selectable so that saving never drops it.
     */
    static ListBoxModel fillCredentialsIdItems(@CheckForNull Item item, @CheckForNull String url,
                                               @CheckForNull String current, @NonNull CredentialsMatcher matcher) {
        String value = current == null ? "" : current;
        if (!mayConfigure(item)) {
            return new StandardListBoxModel().includeCurrentValue(value);
        }
        CredentialsMatcher offered = CredentialsMatchers.allOf(matcher, USABLE_BY_BUILDS);
        StandardListBoxModel model = new StandardListBoxModel();
        model.includeEmptyValue();
        if (item == null) {
            model.includeMatchingAs(LOOKUP_AS, Jenkins.get(), StandardCredentials.class, requirements(url), offered);
        } else {
            model.includeMatchingAs(LOOKUP_AS, item, StandardCredentials.class, requirements(url), offered);
        }
        return model.includeCurrentValue(value);
    }

    /**
     * The three traffic routers, labelled by what they change. A fixed list reveals nothing, so it needs no permission.
     * Only an option equal to {@code current} (ignoring case) is marked selected; with none, the form keeps the value it
     * shows ({@code istio} by default).
     */
    static ListBoxModel fillRouterItems(@CheckForNull String current) {
        String value = ClusterStep.trimToNull(current);
        ListBoxModel model = new ListBoxModel();
        model.add(new ListBoxModel.Option(Messages.StepForms_RouterIstio(), "istio", "istio".equalsIgnoreCase(value)));
        model.add(new ListBoxModel.Option(Messages.StepForms_RouterGateway(), "gateway", "gateway".equalsIgnoreCase(value)));
        model.add(new ListBoxModel.Option(Messages.StepForms_RouterService(), "service", "service".equalsIgnoreCase(value)));
        return model;
    }

    /**
     * Warns about an ID that a build of {@code item} will not find, or of a kind {@code matcher} refuses. A warning,
     * not an error: the build resolves the ID again with its own authentication. Only the credentials' type and scope
     * are looked at, never their secret.
     */
    static FormValidation checkCredentialsId(@CheckForNull Item item, @CheckForNull String url,
                                             @CheckForNull String value, @NonNull CredentialsMatcher matcher) {
        String id = ClusterStep.trimToNull(value);
        if (!mayConfigure(item) || id == null) {
            return FormValidation.ok(); // the argument is optional: a configured cluster brings its own
        }
        StandardCredentials c = item == null
                ? CredentialsProvider.findCredentialByIdInItemGroup(id, StandardCredentials.class, Jenkins.get(), LOOKUP_AS, requirements(url))
                : CredentialsProvider.findCredentialByIdInItem(id, StandardCredentials.class, item, LOOKUP_AS, requirements(url));
        if (c == null || !USABLE_BY_BUILDS.matches(c)) {
            return FormValidation.warning(Messages.StepForms_CredentialsNotVisible());
        }
        if (!matcher.matches(c)) {
            return FormValidation.warning(Messages.StepForms_CredentialsWrongKind(id));
        }
        return FormValidation.ok();
    }

    static FormValidation checkService(@CheckForNull String value) {
        String service = ClusterStep.trimToNull(value);
        if (service == null) {
            return FormValidation.error(Messages.ClusterStep_ServiceRequired());
        }
        return RolloutTarget.isServiceName(service)
                ? FormValidation.ok()
                : FormValidation.error(Messages.ClusterStep_ServiceInvalid(service, RolloutTarget.MAX_SERVICE_LENGTH));
    }

    static FormValidation checkNamespace(@CheckForNull String value) {
        String namespace = ClusterStep.trimToNull(value);
        return namespace == null || KubernetesNames.isNamespace(namespace)
                ? FormValidation.ok()
                : FormValidation.error(Messages.ClusterStep_NamespaceInvalid(namespace));
    }

    /** @param what the argument's name, as the step's own error would give it */
    static FormValidation checkDuration(@NonNull String what, @CheckForNull String value) {
        try {
            DurationArgument.parse(what, value);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static FormValidation checkPercent(@CheckForNull String value) {
        String percent = ClusterStep.trimToNull(value);
        if (percent == null) {
            return FormValidation.error(Messages.StepForms_PercentRequired());
        }
        try {
            int p = Integer.parseInt(percent);
            if (p >= 0 && p <= 100) {
                return FormValidation.ok();
            }
        } catch (NumberFormatException e) {
            // reported below, like an out-of-range number
        }
        return FormValidation.error(Messages.ShiftTrafficStep_PercentInvalid(percent));
    }

    /** The rule of the credentials plugin's consumer guide: Item/Extended Read or Credentials/Use Item in a job. */
    private static boolean mayConfigure(@CheckForNull Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    private static ListBoxModel currentValueOnly(@CheckForNull String current) {
        String value = ClusterStep.trimToNull(current);
        ListBoxModel model = new ListBoxModel();
        if (value == null) {
            model.add(Messages.StepForms_None(), "");
        } else {
            model.add(value);
        }
        return model;
    }

    /**
     * Names are matched as the steps resolve them, ignoring case; the matching entry carries the current spelling
     * so that the form selects it. A current name that is not configured stays, marked, rather than being dropped.
     */
    private static ListBoxModel names(List<String> configured, @CheckForNull String current) {
        String value = ClusterStep.trimToNull(current);
        ListBoxModel model = new ListBoxModel();
        model.add(Messages.StepForms_None(), "");
        boolean found = false;
        for (String name : configured) {
            boolean selected = name.equalsIgnoreCase(value);
            found |= selected;
            model.add(name, selected ? value : name);
        }
        if (value != null && !found) {
            model.add(Messages.StepForms_NotConfigured(value), value);
        }
        return model;
    }

    private static List<DomainRequirement> requirements(@CheckForNull String url) {
        return URIRequirementBuilder.fromUri(ClusterStep.trimToNull(url)).build();
    }

    /** Credentials of any scope but SYSTEM (a provider that gives no scope is left to decide at build time). */
    private static final class NotSystemScoped implements CredentialsMatcher {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean matches(@NonNull Credentials c) {
            return c.getScope() != CredentialsScope.SYSTEM;
        }
    }
}
