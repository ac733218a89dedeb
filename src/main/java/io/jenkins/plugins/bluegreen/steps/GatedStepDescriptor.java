package io.jenkins.plugins.bluegreen.steps;

import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import java.util.Set;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The Snippet Generator support of a {@link GatedStep}: the cluster's, plus the configured Prometheus servers and the
 * Prometheus credentials. A gated step may mark its stage unstable, so it needs its {@link FlowNode}.
 */
public abstract class GatedStepDescriptor extends ClusterStepDescriptor {

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return Set.of(Run.class, TaskListener.class, FlowNode.class);
    }

    @POST
    public ListBoxModel doFillPrometheusItems(@AncestorInPath Item item, @QueryParameter String prometheus) {
        return StepForms.fillPrometheusItems(item, prometheus);
    }

    @POST
    public ListBoxModel doFillPrometheusCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String prometheusUrl,
            @QueryParameter String prometheusCredentialsId) {
        return StepForms.fillCredentialsIdItems(item, prometheusUrl, prometheusCredentialsId,
                CredentialsResolver.PROMETHEUS_CREDENTIALS);
    }

    /** The configured Alertmanagers ({@code shiftTraffic}, {@code blueGreenDeploy}). */
    @POST
    public ListBoxModel doFillAlertmanagerItems(@AncestorInPath Item item, @QueryParameter String alertmanager) {
        return StepForms.fillAlertmanagerItems(item, alertmanager);
    }

    @POST
    public ListBoxModel doFillAlertmanagerCredentialsIdItems(@AncestorInPath Item item,
            @QueryParameter String alertmanagerUrl, @QueryParameter String alertmanagerCredentialsId) {
        return StepForms.fillCredentialsIdItems(item, alertmanagerUrl, alertmanagerCredentialsId,
                CredentialsResolver.ALERTMANAGER_CREDENTIALS);
    }

    @POST
    public FormValidation doCheckAcknowledgeFor(@QueryParameter String value) {
        return StepForms.checkDuration("acknowledgeFor", value);
    }

    /** The analysis window after a traffic step ({@code shiftTraffic}, {@code blueGreenDeploy}). */
    @POST
    public FormValidation doCheckAnalysisWindow(@QueryParameter String value) {
        return StepForms.checkDuration("analysisWindow", value);
    }

    /** The bake time after promotion ({@code shiftTraffic}, {@code blueGreenDeploy}). */
    @POST
    public FormValidation doCheckBakeTime(@QueryParameter String value) {
        return StepForms.checkDuration("bakeTime", value);
    }

    @POST
    public FormValidation doCheckPrometheusCredentialsId(
            @AncestorInPath Item item, @QueryParameter String prometheusUrl, @QueryParameter String value) {
        return StepForms.checkCredentialsId(item, prometheusUrl, value, CredentialsResolver.PROMETHEUS_CREDENTIALS);
    }
}
