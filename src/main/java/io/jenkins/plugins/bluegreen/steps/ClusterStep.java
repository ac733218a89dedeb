package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesNames;
import io.jenkins.plugins.bluegreen.net.HttpUrl;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments every step that acts on one service shares: the service, and how to reach its cluster (a configured
 * cluster name, or an inline server URL with a credentials ID) and namespace. Binding never fails: the constructor and
 * the setters only store what they are given (a throw there reaches the user as a hundred lines of structs' stack),
 * and {@link #start} checks every argument first, refusing a bad one with one line that names the step, the argument
 * and the rule, before anything in the cluster changes. The cluster is resolved for the build when the step runs.
 */
public abstract class ClusterStep extends Step {

    private final String service;
    private String cluster;
    private String serverUrl;
    private String credentialsId;
    private String namespace;
    private List<ChatNotification> notify;

    /** @param service the service (its Deployments are {@code <service>-blue} and {@code <service>-green}) */
    protected ClusterStep(String service) {
        this.service = service == null ? "" : service.trim();
    }

    /** The step's name in a Pipeline, e.g. {@code shiftTraffic}. */
    abstract String functionName();

    /** The execution, once the arguments were checked. */
    abstract StepExecution newExecution(StepContext context);

    /**
     * Checks the arguments and their combination.
     *
     * @throws IllegalArgumentException naming the argument and the rule it breaks
     */
    void validate() {
        if (service.isEmpty()) {
            throw new IllegalArgumentException(Messages.ClusterStep_ServiceRequired());
        }
        if (!RolloutTarget.isServiceName(service)) {
            throw new IllegalArgumentException(Messages.ClusterStep_ServiceInvalid(service, RolloutTarget.MAX_SERVICE_LENGTH));
        }
        if (namespace != null && !KubernetesNames.isNamespace(namespace)) {
            throw new IllegalArgumentException(Messages.ClusterStep_NamespaceInvalid(namespace));
        }
        StepNotifications.validate(notify);
        checkUrl("serverUrl", serverUrl);
    }

    /**
     * Refuses a bad server URL when the step starts, naming the argument: a URL with a password in it must not get as
     * far as the execution, which the Pipeline saves with the build.
     */
    static void checkUrl(String argument, @CheckForNull String url) {
        if (url != null) {
            try {
                HttpUrl.parse(url);
            } catch (HttpUrl.InvalidUrlException e) {
                throw new IllegalArgumentException(Messages.ClusterStep_UrlInvalid(argument, e.getMessage()), e);
            }
        }
    }

    @Override
    public final StepExecution start(StepContext context) throws Exception {
        try {
            validate();
            return newExecution(context);
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.ClusterStep_InvalidArgument(functionName(), e.getMessage()));
        }
    }

    public @NonNull String getService() {
        return service;
    }

    public @CheckForNull String getCluster() {
        return cluster;
    }

    /** @param cluster the name of a cluster of the global configuration */
    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = trimToNull(cluster);
    }

    public @CheckForNull String getServerUrl() {
        return serverUrl;
    }

    /** @param serverUrl the API server of an inline cluster (checked when the step starts) */
    @DataBoundSetter
    public void setServerUrl(String serverUrl) {
        this.serverUrl = trimToNull(serverUrl);
    }

    public @CheckForNull String getCredentialsId() {
        return credentialsId;
    }

    /** @param credentialsId the ID of the credentials of an inline cluster; never the secret itself */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = trimToNull(credentialsId);
    }

    public @CheckForNull String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = trimToNull(namespace);
    }

    /** The chat webhooks to notify, or null for none. */
    public @CheckForNull List<ChatNotification> getNotify() {
        return notify == null ? null : new ArrayList<>(notify);
    }

    /** @param notify e.g. {@code [chat(credentialsId: 'prod-alerts-webhook', on: ['rollback', 'promoted'])]} */
    @DataBoundSetter
    public void setNotify(List<ChatNotification> notify) {
        this.notify = notify == null || notify.isEmpty() ? null : new ArrayList<>(notify);
    }

    static @CheckForNull String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
