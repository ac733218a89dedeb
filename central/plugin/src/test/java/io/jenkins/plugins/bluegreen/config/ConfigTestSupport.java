package io.jenkins.plugins.bluegreen.config;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.Descriptor;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestCredentialsProvider;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import jenkins.model.Jenkins;

/** A Jenkins with the plugin's descriptors, an administrator, a reader and a few credentials. */
final class ConfigTestSupport {

    static final String ADMIN = "alice";
    static final String READER = "bob";
    static final String TOKEN = "k8s-t0ken-s3cr3t";
    static final String PROM_TOKEN = "pr0m-t0ken-s3cr3t";
    static final String PROM_PASSWORD = "pw-s3cr3t";
    static final String KUBECONFIG = "apiVersion: v1\nkind: Config\n";

    final TestJenkins jenkins;
    final TestCredentialsProvider credentials = new TestCredentialsProvider();
    final KubernetesCluster.DescriptorImpl clusterDescriptor = new KubernetesCluster.DescriptorImpl();
    final PrometheusServer.DescriptorImpl prometheusDescriptor = new PrometheusServer.DescriptorImpl();
    final AlertmanagerServer.DescriptorImpl alertmanagerDescriptor = new AlertmanagerServer.DescriptorImpl();

    @SuppressWarnings("rawtypes")
    ConfigTestSupport() throws Exception {
        jenkins = TestJenkins.install();
        jenkins.grant(ADMIN, Jenkins.ADMINISTER).grant(READER, Jenkins.READ);
        jenkins.register(CredentialsProvider.class, credentials);
        jenkins.register(Descriptor.class, clusterDescriptor);
        jenkins.register(Descriptor.class, prometheusDescriptor);
        jenkins.register(Descriptor.class, alertmanagerDescriptor);
        credentials.add(TestCredentials.secretText("k8s-token", TOKEN))
                .add(TestCredentials.secretFile("kubeconfig", KUBECONFIG))
                .add(TestCredentials.secretText("prom-token", PROM_TOKEN))
                .add(TestCredentials.usernamePassword("prom-basic", "grafana", PROM_PASSWORD));
    }
}
