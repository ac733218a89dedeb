package io.jenkins.plugins.bluegreen.steps;

import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The Snippet Generator support every {@link ClusterStep} shares: the configured clusters and the cluster credentials
 * as drop-downs, and format checks of the service and namespace. Every web method is {@code @POST}; the ones that
 * reveal configuration check the user's permission on the job ({@link StepForms}).
 */
public abstract class ClusterStepDescriptor extends StepDescriptor {

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return Set.of(Run.class, TaskListener.class);
    }

    @POST
    public ListBoxModel doFillClusterItems(@AncestorInPath Item item, @QueryParameter String cluster) {
        return StepForms.fillClusterItems(item, cluster);
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(
            @AncestorInPath Item item, @QueryParameter String serverUrl, @QueryParameter String credentialsId) {
        return StepForms.fillCredentialsIdItems(item, serverUrl, credentialsId, CredentialsResolver.CLUSTER_CREDENTIALS);
    }

    @POST
    public FormValidation doCheckCredentialsId(
            @AncestorInPath Item item, @QueryParameter String serverUrl, @QueryParameter String value) {
        return StepForms.checkCredentialsId(item, serverUrl, value, CredentialsResolver.CLUSTER_CREDENTIALS);
    }

    @POST
    public FormValidation doCheckService(@QueryParameter String value) {
        return StepForms.checkService(value);
    }

    @POST
    public FormValidation doCheckNamespace(@QueryParameter String value) {
        return StepForms.checkNamespace(value);
    }
}
