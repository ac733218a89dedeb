package io.jenkins.plugins.bluegreen.persistence;

import io.jenkins.plugins.bluegreen.config.AlertmanagerServer;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.config.PrometheusServer;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.report.RolloutFixtures;
import io.jenkins.plugins.bluegreen.steps.RolloutAction;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import io.jenkins.plugins.bluegreen.testkit.TestRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the plugin gives Jenkins to save, with every field set: the global configuration ({@code
 * io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration.xml}) and a build's rollout action ({@code
 * build.xml}). Shared by the round-trip tests and the check of the packaged jar.
 */
public final class SavedObjects {

    private SavedObjects() {}

    /** Two clusters, two Prometheus servers and two Alertmanagers, optional settings on one of each. */
    public static BlueGreenGlobalConfiguration globalConfiguration() {
        BlueGreenGlobalConfiguration config = new BlueGreenGlobalConfiguration();
        KubernetesCluster prod = new KubernetesCluster("prod-eu", "https://k8s.example.com:6443");
        prod.setCredentialsId("prod-eu-deployer");
        prod.setNamespace("shop");
        prod.setCaCertificate(testCa());
        prod.setRequestTimeoutSeconds(20);
        KubernetesCluster lab = new KubernetesCluster("lab", "https://127.0.0.1:6443");
        lab.setCredentialsId("lab-kubeconfig");
        lab.setSkipTlsVerify(true);
        config.setClusters(List.of(prod, lab));
        PrometheusServer main = new PrometheusServer("main", "http://prometheus.monitoring:9090");
        main.setCredentialsId("prometheus-token");
        main.setRequestTimeoutSeconds(30);
        config.setPrometheusServers(List.of(main, new PrometheusServer("lab", "http://127.0.0.1:9090")));
        AlertmanagerServer oncall = new AlertmanagerServer("oncall", "https://alertmanager.example.com/alertmanager");
        oncall.setCredentialsId("alertmanager-token");
        oncall.setRequestTimeoutSeconds(15);
        config.setAlertmanagerServers(List.of(oncall, new AlertmanagerServer("lab", "http://127.0.0.1:9093")));
        return config;
    }

    /** The action of a build that rolled one service back and promoted another: weights, gates, recovery. */
    public static RolloutAction rolloutAction() {
        try {
            TestRun run = new TestJob(TestJenkins.install(), "checkout-deploy").newBuild();
            RolloutAction.record(run, RolloutFixtures.rolledBack());
            RolloutRecord payments = RolloutFixtures.promoted();
            payments.setService("payments");
            return RolloutAction.record(run, payments);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String testCa() {
        try (InputStream in = SavedObjects.class.getResourceAsStream("/io/jenkins/plugins/bluegreen/test-ca.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
