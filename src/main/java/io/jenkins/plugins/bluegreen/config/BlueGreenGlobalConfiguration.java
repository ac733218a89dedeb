package io.jenkins.plugins.bluegreen.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Manage Jenkins » System » Blue-Green Deployment: the Kubernetes clusters, Prometheus servers and Alertmanagers
 * that Pipelines refer to by name. Only URLs, settings and credential IDs are stored here, never secrets.
 */
@Extension
@Symbol("blueGreenDeployment")
public class BlueGreenGlobalConfiguration extends GlobalConfiguration {

    private List<KubernetesCluster> clusters = new ArrayList<>();
    private List<PrometheusServer> prometheusServers = new ArrayList<>();
    private List<AlertmanagerServer> alertmanagerServers = new ArrayList<>();

    public BlueGreenGlobalConfiguration() {
        load();
    }

    /** The singleton Jenkins keeps. */
    public static BlueGreenGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(BlueGreenGlobalConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.BlueGreenGlobalConfiguration_DisplayName();
    }

    public List<KubernetesCluster> getClusters() {
        return Collections.unmodifiableList(clusters);
    }

    @DataBoundSetter
    public void setClusters(List<KubernetesCluster> clusters) {
        this.clusters = ConfigRules.uniquelyNamed(clusters, KubernetesCluster::getName, "clusters",
                Messages::BlueGreenGlobalConfiguration_DuplicateCluster);
        save();
    }

    public List<PrometheusServer> getPrometheusServers() {
        return Collections.unmodifiableList(prometheusServers);
    }

    @DataBoundSetter
    public void setPrometheusServers(List<PrometheusServer> prometheusServers) {
        this.prometheusServers = ConfigRules.uniquelyNamed(prometheusServers, PrometheusServer::getName, "prometheusServers",
                Messages::BlueGreenGlobalConfiguration_DuplicatePrometheus);
        save();
    }

    public List<AlertmanagerServer> getAlertmanagerServers() {
        return Collections.unmodifiableList(alertmanagerServers);
    }

    @DataBoundSetter
    public void setAlertmanagerServers(List<AlertmanagerServer> alertmanagerServers) {
        this.alertmanagerServers = ConfigRules.uniquelyNamed(alertmanagerServers, AlertmanagerServer::getName,
                "alertmanagerServers", Messages::BlueGreenGlobalConfiguration_DuplicateAlertmanager);
        save();
    }

    public Optional<KubernetesCluster> findCluster(String name) {
        return clusters.stream().filter(c -> c.getName().equalsIgnoreCase(name)).findFirst();
    }

    public Optional<PrometheusServer> findPrometheusServer(String name) {
        return prometheusServers.stream().filter(p -> p.getName().equalsIgnoreCase(name)).findFirst();
    }

    public Optional<AlertmanagerServer> findAlertmanagerServer(String name) {
        return alertmanagerServers.stream().filter(a -> a.getName().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * Binds the form. Lists absent from the form (all entries deleted) become empty, and a rule broken by any
     * value is reported next to its field while the saved configuration stays as it was.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        List<KubernetesCluster> oldClusters = clusters;
        List<PrometheusServer> oldServers = prometheusServers;
        List<AlertmanagerServer> oldAlertmanagers = alertmanagerServers;
        clusters = new ArrayList<>();
        prometheusServers = new ArrayList<>();
        alertmanagerServers = new ArrayList<>();
        try {
            req.bindJSON(this, json);
        } catch (RuntimeException e) {
            clusters = oldClusters;
            prometheusServers = oldServers;
            alertmanagerServers = oldAlertmanagers;
            InvalidConfigurationException invalid = InvalidConfigurationException.find(e);
            if (invalid != null) {
                throw new FormException(invalid.getMessage(), invalid.getField());
            }
            throw e;
        }
        save();
        return true;
    }
}
