package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Descriptor;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.jenkins.plugins.bluegreen.config.BlueGreenGlobalConfiguration;
import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.config.PrometheusServer;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.Weights;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import io.jenkins.plugins.bluegreen.persistence.JenkinsXStream;
import io.jenkins.plugins.bluegreen.steps.StepTestSupport.TestContext;
import io.jenkins.plugins.bluegreen.testkit.StructsBinding;
import io.jenkins.plugins.bluegreen.testkit.TestCredentials;
import io.jenkins.plugins.bluegreen.testkit.TestCredentialsProvider;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, catalogued: each kind a Pipeline author or an administrator may write, with the exact one-line message
 * they see. Step rows run as Pipeline runs them (arguments bound as structs binds them, {@code Step.start}, then the
 * execution on the timer) against a live service on the mock API server (blue serving, green deployed with no
 * traffic); configuration rows go through the global configuration's own rules and form checks. For every row the
 * API server's request log shows no write (reads at most), the rollout is where it was, and no token, password or
 * kubeconfig secret is in the message, the build log, the rollout record, the build's report, the saved step state
 * or the configuration XML. The table is printed, and docs/bad-input.md holds the same table.
 */
class BadInputCatalogueTest {

    private static final String TOKEN = "k8s-t0ken-s3cr3t-catalogue";
    private static final String PASSWORD = "pa55w0rd-s3cr3t-catalogue";
    private static final String KUBECONFIG_TOKEN = "kubec0nfig-t0ken-s3cr3t";
    private static final String URL_PASSWORD = "url-pa55-s3cr3t";
    private static final List<String> SECRETS = List.of(TOKEN, StepTestSupport.PROMETHEUS_TOKEN, PASSWORD, KUBECONFIG_TOKEN,
            URL_PASSWORD);
    private static final String ADMIN = "alice";
    private static final String IMAGE = "registry.example.com/shop/checkout:2.0.0";
    /** The namespace the messages show: the lab's own is numbered per run. */
    private static final String SHOWN_NAMESPACE = "shop";
    private static final String MANIFESTS = "Manifests and bundles";
    private static final String CONFIGURATION = "Configuration";
    private static final String ARGUMENTS = "the step's arguments, as its flow node saves them";

    private static MockCluster mock;
    private static StepTestSupport support;
    private static EngineLab lab;
    private static TestJob job;
    private static Path workspace;
    private static final List<String[]> TABLE = new CopyOnWriteArrayList<>();
    private static Locale locale;

    /** What one row's attempt left behind, for the request log and the secret scan. */
    static final class Trace {
        final SecretScan stored = new SecretScan();
        String refused = "?";

        void store(String where, String text) {
            stored.store(where, text);
        }

        void store(String where, byte[] bytes) {
            stored.store(where, bytes);
        }
    }

    @FunctionalInterface
    interface Attempt {
        /** @return the one line the user sees */
        String run(Trace trace) throws Exception;
    }

    record Row(String area, String input, Attempt attempt, String message) {}

    @BeforeAll
    static void liveService(@TempDir Path dir) throws Exception {
        locale = Locale.getDefault();
        Locale.setDefault(Locale.US); // the messages' numbers as the table shows them
        mock = MockCluster.start();
        support = new StepTestSupport(mock, TOKEN);
        lab = support.lab;
        StepTestSupport.deployCandidate(lab); // blue serves, green is ready with no traffic
        TestCredentialsProvider more = new TestCredentialsProvider()
                .add(TestCredentials.usernamePassword("deployer-password", "deployer", PASSWORD))
                .add(TestCredentials.secretFile("exec-kubeconfig", execKubeconfig()))
                .add(TestCredentials.secretText("empty-token", " "));
        support.jenkins.register(CredentialsProvider.class, more);
        support.jenkins.register(Descriptor.class, new PrometheusServer.DescriptorImpl());
        support.jenkins.grant(ADMIN, Jenkins.ADMINISTER);
        PrometheusServer main = new PrometheusServer("main", "http://127.0.0.1:1");
        support.config.setPrometheusServers(List.of(main));
        job = new TestJob(support.jenkins, "checkout-deploy");
        workspace = dir;
        Files.createDirectories(workspace.resolve("k8s"));
    }

    @AfterAll
    static void printTableAndStop() throws Exception {
        StringBuilder b = new StringBuilder("\nBad input, catalogued: " + TABLE.size()
                + " rows (input -> message [refused when; API requests])\n");
        String area = null;
        for (String[] r : TABLE) {
            if (!r[0].equals(area)) {
                area = r[0];
                b.append('\n').append(area).append('\n');
            }
            b.append(String.format(Locale.ROOT, "  %-70s -> %s [%s]%n", r[1], r[2], r[3]));
        }
        System.out.println(b);
        Path seen = repository().resolve("central/target/bad-input-seen.md");
        Files.createDirectories(seen.getParent());
        Files.writeString(seen, markdown(TABLE));
        Locale.setDefault(locale);
        if (support != null) {
            support.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    private static String execKubeconfig() {
        return "apiVersion: v1\nkind: Config\ncurrent-context: lab\n"
                + "clusters:\n- name: lab\n  cluster: {server: 'https://127.0.0.1:6443'}\n"
                + "contexts:\n- name: lab\n  context: {cluster: lab, user: ci}\n"
                + "users:\n- name: ci\n  user:\n    token: " + KUBECONFIG_TOKEN + "\n"
                + "    exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: ['-c', 'id']}\n";
    }

    // ---- the catalogue ---------------------------------------------------------------------------------------

    static List<Row> catalogue() {
        List<Row> rows = new ArrayList<>();
        String arguments = "Step arguments";
        rows.add(step(arguments, "shiftTraffic(percent: 101)", "shiftTraffic", args("percent", 101),
                "shiftTraffic: percent (the candidate's share of the traffic) must be from 0 to 100, not 101."));
        rows.add(step(arguments, "shiftTraffic(percent: -1)", "shiftTraffic", args("percent", -1),
                "shiftTraffic: percent (the candidate's share of the traffic) must be from 0 to 100, not -1."));
        rows.add(step(arguments, "blueGreenDeploy(trafficSteps: [0, 100])", "blueGreenDeploy",
                args("image", IMAGE, "trafficSteps", List.of(0, 100)),
                "blueGreenDeploy: trafficSteps must rise from above 0 to at most 100, e.g. [5, 50, 100], not [0, 100]."));
        rows.add(step(arguments, "blueGreenDeploy(trafficSteps: [5, 101])", "blueGreenDeploy",
                args("image", IMAGE, "trafficSteps", List.of(5, 101)),
                "blueGreenDeploy: trafficSteps must rise from above 0 to at most 100, e.g. [5, 50, 100], not [5, 101]."));
        rows.add(step(arguments, "blueGreenDeploy(trafficSteps: [50, 5])", "blueGreenDeploy",
                args("image", IMAGE, "trafficSteps", List.of(50, 5)),
                "blueGreenDeploy: trafficSteps must rise from above 0 to at most 100, e.g. [5, 50, 100], not [50, 5]."));
        rows.add(step(arguments, "blueGreenDeploy(router: 'service', trafficSteps: [5, 100])", "blueGreenDeploy",
                args("image", IMAGE, "router", "service", "trafficSteps", List.of(5, 100)),
                "blueGreenDeploy: trafficSteps must be [100] with router: 'service', not [5, 100]: a Service selector "
                        + "switches all traffic at once."));
        rows.add(step(arguments, "blueGreenDeploy(router: 'nginx')", "blueGreenDeploy", args("image", IMAGE, "router", "nginx"),
                "blueGreenDeploy: router must be istio, gateway or service, not 'nginx'."));
        rows.add(step(arguments, "blueGreenDeploy(replicas: 0)", "blueGreenDeploy", args("image", IMAGE, "replicas", 0),
                "blueGreenDeploy: replicas must be from 1 to 1,000, not 0."));
        rows.add(step(arguments, "blueGreenDeploy(dbHeadroomPercent: 60)", "blueGreenDeploy",
                args("image", IMAGE, "dbHeadroomPercent", 60),
                "blueGreenDeploy: dbHeadroomPercent must be from 0 to 50, not 60."));
        rows.add(step(arguments, "blueGreenDeploy(dbPoolSizePerPod: 10) without a Prometheus", "blueGreenDeploy",
                args("image", IMAGE, "dbPoolSizePerPod", 10),
                "blueGreenDeploy: dbPoolSizePerPod needs a Prometheus: set prometheus (a configured server) or prometheusUrl."));
        rows.add(step(arguments, "blueGreenDeploy with both image and manifest", "blueGreenDeploy",
                args("image", IMAGE, "manifest", "k8s/checkout.yaml"),
                "blueGreenDeploy: manifest, image or helmChart: give exactly one of manifest (a workspace path), image (a new "
                        + "image for the stable colour) or helmChart (a chart in the workspace), not several."));
        rows.add(step(arguments, "blueGreenDeploy with none of image, manifest and helmChart", "blueGreenDeploy", args(),
                "blueGreenDeploy: manifest, image or helmChart: give exactly one of manifest (a workspace path), image (a new "
                        + "image for the stable colour) or helmChart (a chart in the workspace), not several."));
        rows.add(step(arguments, "blueGreenDeploy(image: '...:latest')", "blueGreenDeploy",
                args("image", "registry.example.com/shop/checkout:latest"),
                "blueGreenDeploy: the image 'registry.example.com/shop/checkout:latest' uses the tag 'latest', which can "
                        + "change under a rollout; use an immutable tag or a digest"));
        rows.add(step(arguments, "blueGreenDeploy(image: '...' without a tag)", "blueGreenDeploy",
                args("image", "registry.example.com/shop/checkout"),
                "blueGreenDeploy: the image 'registry.example.com/shop/checkout' has no tag; use an immutable tag such as "
                        + ":1.4.0 or a digest (@sha256:...)"));
        rows.add(step(arguments, "shiftTraffic(percent: 50, promote: true)", "shiftTraffic", args("percent", 50, "promote", true),
                "shiftTraffic: promote needs percent: 100, not 50: only a candidate with all the traffic can be promoted."));
        rows.add(step(arguments, "shiftTraffic(percent: 100, bakeTime: '1h') without promote", "shiftTraffic",
                args("percent", 100, "bakeTime", "1h"),
                "shiftTraffic: bakeTime needs promote: true: the bake time runs from the promotion."));
        rows.add(step(arguments, "smokeTest(path: 'healthz')", "blueGreenDeploy",
                args("image", IMAGE, "smokeTests", List.of(smoke(values("path", "healthz")))),
                "blueGreenDeploy: smokeTests: path 'healthz' is not valid: it must start with '/', have no spaces, "
                        + "control characters or '#', and be at most 2000 characters."));
        rows.add(step(arguments, "smokeTest(path: '/', status: 600)", "blueGreenDeploy",
                args("image", IMAGE, "smokeTests", List.of(smoke(values("path", "/", "status", 600)))),
                "blueGreenDeploy: smokeTests: status must be an HTTP status from 100 to 599, not 600."));
        rows.add(step(arguments, "verifyMetrics(gates: [gate('errorRate'), gate('errorRate')])", "verifyMetrics",
                args("prometheus", "main", "gates", List.of(gate(values("name", "errorRate")), gate(values("name", "errorRate")))),
                "verifyMetrics: gates: two gates are named 'errorRate'."));
        rows.add(step(arguments, "verifyMetrics(minEvaluations: 0)", "verifyMetrics", args("prometheus", "main", "minEvaluations", 0),
                "verifyMetrics: minEvaluations must be from 1 to 1000, not 0."));
        rows.add(step(arguments, "rollback(reason: a text of two lines)", "rollback", args("reason", "bad\nrelease"),
                "rollback: reason must be one line of at most 500 characters."));

        String durations = "Durations";
        rows.add(step(durations, "shiftTraffic(analysisWindow: '-5m')", "shiftTraffic",
                args("percent", 5, "prometheus", "main", "analysisWindow", "-5m"),
                "shiftTraffic: analysisWindow: '-5m' is not a duration; write e.g. '90s', '5m', '1h30m' or '500ms'."));
        rows.add(step(durations, "shiftTraffic(promote: true, bakeTime: '170h')", "shiftTraffic",
                args("percent", 100, "promote", true, "bakeTime", "170h"),
                "shiftTraffic: bakeTime must be from 0s to 168h, not '170h'."));
        rows.add(step(durations, "blueGreenDeploy(readinessTimeout: '0s')", "blueGreenDeploy",
                args("image", IMAGE, "readinessTimeout", "0s"),
                "blueGreenDeploy: readinessTimeout must be from 1s to 2h, not '0s'."));
        rows.add(step(durations, "verifyMetrics(window: '25h')", "verifyMetrics", args("prometheus", "main", "window", "25h"),
                "verifyMetrics: window must be from 1s to 24h, not '25h'."));
        rows.add(step(durations, "verifyMetrics(window: '2d')", "verifyMetrics", args("prometheus", "main", "window", "2d"),
                "verifyMetrics: window: '2d' is not a duration; write e.g. '90s', '5m', '1h30m' or '500ms'."));
        rows.add(step(durations, "verifyMetrics(warmUp: '2h')", "verifyMetrics", args("prometheus", "main", "warmUp", "2h"),
                "verifyMetrics: warmUp must be from 0s to 1h, not '2h'."));
        rows.add(step(durations, "gate(name: 'errorRate', sustain: '-1m')", "verifyMetrics",
                args("prometheus", "main", "gates", List.of(gate(values("name", "errorRate", "sustain", "-1m")))),
                "verifyMetrics: sustain: '-1m' is not a duration; write e.g. '90s', '5m', '1h30m' or '500ms'."));
        rows.add(step(durations, "smokeTest(path: '/healthz', maxLatency: '10m')", "blueGreenDeploy",
                args("image", IMAGE, "smokeTests", List.of(smoke(values("path", "/healthz", "maxLatency", "10m")))),
                "blueGreenDeploy: smokeTests: maxLatency must be more than 0 and at most 5m, not '10m'."));
        rows.add(step(durations, "shiftTraffic(promote: true, bakeTime: '30s', prometheus: 'main'), default gates", "shiftTraffic",
                args("percent", 100, "promote", true, "bakeTime", "30s", "prometheus", "main"),
                "shiftTraffic: bakeTime '30s' is shorter than the sustain window of gate p95Latency (2m): no breach could "
                        + "last long enough to fail the gate; make bakeTime at least 2m, or the gate's sustain shorter."));
        rows.add(step(durations, "shiftTraffic(analysisWindow: '30s', gates: [gate('errorRate')])", "shiftTraffic",
                args("percent", 5, "analysisWindow", "30s", "prometheus", "main", "gates", List.of(gate(values("name", "errorRate")))),
                "shiftTraffic: analysisWindow '30s' is shorter than the sustain window of gate errorRate (1m): no breach "
                        + "could last long enough to fail the gate; make analysisWindow at least 1m, or the gate's "
                        + "sustain shorter."));
        rows.add(step(durations, "blueGreenDeploy(trafficSteps: [5, 100], gates: [gate(name: 'errorRate', sustain: '10m')])",
                "blueGreenDeploy", args("image", IMAGE, "trafficSteps", List.of(5, 100), "prometheus", "main",
                        "gates", List.of(gate(values("name", "errorRate", "sustain", "10m")))),
                "blueGreenDeploy: analysisWindow '5m' is shorter than the sustain window of gate errorRate (10m): no "
                        + "breach could last long enough to fail the gate; make analysisWindow at least 10m, or the "
                        + "gate's sustain shorter."));
        rows.add(step(durations, "verifyMetrics(window: '1m'), default gates", "verifyMetrics",
                args("prometheus", "main", "window", "1m"),
                "verifyMetrics: window '1m' is shorter than the sustain window of gate p95Latency (2m): no breach could "
                        + "last long enough to fail the gate; make window at least 2m, or the gate's sustain shorter."));
        rows.add(step(durations, "verifyMetrics(window: '1m', gates: [gate(name: 'errorRate', interval: '1m', sustain: '1m')])",
                "verifyMetrics", args("prometheus", "main", "window", "1m",
                        "gates", List.of(gate(values("name", "errorRate", "interval", "1m", "sustain", "1m")))),
                "verifyMetrics: window '1m' cannot hold the 3 evaluations with data each gate needs (minEvaluations): gate "
                        + "errorRate is evaluated every 1m, so 3 evaluations take at least 2m; make window at least 2m, the "
                        + "gate's interval shorter, or minEvaluations lower."));
        rows.add(step(durations, "shiftTraffic(promote: true, bakeTime: '1m', minEvaluations: 10, gates: [gate('errorRate')])",
                "shiftTraffic", args("percent", 100, "promote", true, "bakeTime", "1m", "minEvaluations", 10, "prometheus", "main",
                        "gates", List.of(gate(values("name", "errorRate")))),
                "shiftTraffic: bakeTime '1m' cannot hold the 10 evaluations with data each gate needs (minEvaluations): "
                        + "gate errorRate is evaluated every 10s, so 10 evaluations take at least 1m30s; make bakeTime at "
                        + "least 1m30s, the gate's interval shorter, or minEvaluations lower."));

        String names = "Names";
        rows.add(step(names, "shiftTraffic(service: 'Checkout_Svc')", "shiftTraffic", argsFor("Checkout_Svc", "percent", 5),
                "shiftTraffic: service 'Checkout_Svc' is not a valid service name: lower-case letters, digits and '-', at "
                        + "most 47 characters."));
        rows.add(step(names, "shiftTraffic(service: 48 characters)", "shiftTraffic", argsFor("c".repeat(48), "percent", 5),
                "shiftTraffic: service 'cccccccccccccccccccccccccccccccccccccccccccccccc' is not a valid service name: "
                        + "lower-case letters, digits and '-', at most 47 characters."));
        rows.add(step(names, "shiftTraffic(namespace: 'Shop')", "shiftTraffic", args("percent", 5, "namespace", "Shop"),
                "shiftTraffic: namespace 'Shop' is not a valid namespace: lower-case letters, digits and '-', at most 63 "
                        + "characters."));
        rows.add(step(names, "blueGreenDeploy(routerName: 'Front_VS')", "blueGreenDeploy",
                args("image", IMAGE, "routerName", "Front_VS"),
                "blueGreenDeploy: routerName 'Front_VS' is not a Kubernetes object name: lower-case letters, digits and "
                        + "'-', at most 63 characters."));
        rows.add(step(names, "blueGreenDeploy(container: 'App_1')", "blueGreenDeploy", args("image", IMAGE, "container", "App_1"),
                "blueGreenDeploy: container 'App_1' is not a container name: lower-case letters, digits and '-', at most "
                        + "63 characters."));
        rows.add(step(names, "shiftTraffic(cluster: 'staging'), not configured", "shiftTraffic", argsOn("staging", "percent", 5),
                "There is no Kubernetes cluster named 'staging'. Configured clusters: lab."));
        rows.add(step(names, "shiftTraffic(prometheus: 'nope', analysisWindow: '5m'), not configured", "shiftTraffic",
                args("percent", 50, "prometheus", "nope", "analysisWindow", "5m"),
                "There is no Prometheus server named 'nope'. Configured servers: main."));

        String promql = "PromQL";
        rows.add(step(promql, "verifyMetrics(service: 'a\"}or vector(1)#')", "verifyMetrics",
                argsFor("a\"}or vector(1)#", "prometheus", "main"),
                "verifyMetrics: service 'a\"}or vector(1)#' is not a valid service name: lower-case letters, digits and "
                        + "'-', at most 47 characters."));
        rows.add(step(promql, "gate(name: 'errors', query: '...{pod=\"${pod}\"}...', threshold: 0.01)", "verifyMetrics",
                args("prometheus", "main", "gates", List.of(gate(values("name", "errors", "threshold", 0.01,
                        "query", "sum(rate(http_requests_total{pod=\"${pod}\"}[1m]))")))),
                "verifyMetrics: gate errors: unknown PromQL variable ${pod} (known: ${service}, ${namespace}, ${color})."));
        rows.add(step(promql, "gate(name: 'errors', query: '...') without a threshold", "verifyMetrics",
                args("prometheus", "main", "gates", List.of(gate(values("name", "errors", "query", "sum(rate(x[1m]))")))),
                "verifyMetrics: gate errors is not a built-in gate (errorRate, p95Latency, trafficShare, "
                        + "dbConnectionRatio): give it a query and a threshold."));
        rows.add(step(promql, "gate('errorRate\"}')", "verifyMetrics",
                args("prometheus", "main", "gates", List.of(gate(values("name", "errorRate\"}")))),
                "verifyMetrics: gates: 'errorRate\"}' is not a gate name: use a built-in gate (errorRate, p95Latency, "
                        + "trafficShare, dbConnectionRatio) or your own name of letters, digits, '-' and '_'."));
        rows.add(step(promql, "blueGreenDeploy(dbInstance: 'pg:9187\"} or vector(1) #')", "blueGreenDeploy",
                args("image", IMAGE, "prometheus", "main", "dbPoolSizePerPod", 10, "dbInstance", "pg:9187\"} or vector(1) #"),
                "blueGreenDeploy: dbInstance 'pg:9187\"} or vector(1) #' is not a Prometheus instance label value (host:port)."));

        rows.add(manifest("a YAML alias bomb (billion laughs)", aliasBomb(),
                "Blue-green deploy failed: the manifest refers to YAML anchors (*name) more often than allowed, as an "
                        + "alias bomb does; write the objects out instead"));
        rows.add(manifest("a custom YAML tag (replicas: !custom 3)", deployment("2.1.0").replace("replicas: 3", "replicas: !custom 3"),
                "Blue-green deploy failed: the manifest uses a YAML tag that is not allowed (line 6, column 13); write "
                        + "plain YAML without tags such as !!java... or !custom"));
        rows.add(manifest("a Java type tag (!!javax.script.ScriptEngineManager)",
                "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\n",
                "Blue-green deploy failed: the manifest uses a YAML tag that is not allowed (line 1, column 1); write "
                        + "plain YAML without tags such as !!java... or !custom"));
        rows.add(manifest("two Deployments", deployment("2.1.0") + "---\n" + deployment("2.1.1"),
                "Blue-green deploy failed: the manifest holds 2 Deployments; exactly one is accepted"));
        rows.add(manifest("no Deployment, only a ConfigMap", configMap("config", null),
                "Blue-green deploy failed: the manifest holds no Deployment"));
        rows.add(manifest("a ClusterRole (cluster-scoped)", deployment("2.1.0") + "---\n"
                + "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n",
                "Blue-green deploy failed: the manifest holds a ClusterRole (rbac.authorization.k8s.io/v1) 'reader', "
                        + "which is cluster-scoped: a colour holds only objects of the service's namespace; apply it "
                        + "once, outside the rollout"));
        rows.add(manifest("a Namespace (cluster-scoped)", deployment("2.1.0") + "---\n"
                + "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n",
                "Blue-green deploy failed: the manifest holds a Namespace (v1) 'other', which is cluster-scoped: a colour "
                        + "holds only objects of the service's namespace; apply it once, outside the rollout"));
        rows.add(manifest("a VirtualService", deployment("2.1.0") + "---\n"
                + "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: checkout\n",
                "Blue-green deploy failed: the manifest holds a VirtualService (networking.istio.io/v1) 'checkout': "
                        + "objects that route traffic between the colours belong to the router that the plugin drives "
                        + "(router, routerName); keep it out of the colour's manifest"));
        rows.add(manifest("an Ingress", deployment("2.1.0") + "---\n"
                + "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: checkout\n",
                "Blue-green deploy failed: the manifest holds an Ingress (networking.k8s.io/v1) 'checkout': objects that "
                        + "route traffic between the colours belong to the router that the plugin drives (router, "
                        + "routerName); keep it out of the colour's manifest"));
        rows.add(manifest("a StatefulSet", deployment("2.1.0") + "---\n"
                + "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n",
                "Blue-green deploy failed: the manifest holds a StatefulSet (apps/v1) 'db'; a colour holds one apps/v1 "
                        + "Deployment and any of ServiceAccount (v1), ConfigMap (v1), Secret (v1), Service (v1), "
                        + "PodDisruptionBudget (policy/v1), HorizontalPodAutoscaler (autoscaling/v2)"));
        rows.add(manifest("an autoscaling/v1 HorizontalPodAutoscaler", deployment("2.1.0") + "---\n"
                + "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: checkout\n",
                "Blue-green deploy failed: the HorizontalPodAutoscaler 'checkout' has apiVersion 'autoscaling/v1'; only "
                        + "autoscaling/v2 is supported"));
        rows.add(manifest("an autoscaler of another Deployment", deployment("2.1.0") + "---\n"
                + "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: checkout\nspec:\n"
                + "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: payments}\n  maxReplicas: 4\n",
                "Blue-green deploy failed: the HorizontalPodAutoscaler 'checkout' scales Deployment 'payments', not the "
                        + "manifest's Deployment 'checkout'"));
        rows.add(manifest("a ConfigMap of namespace 'elsewhere'", deployment("2.1.0") + "---\n" + configMap("config", "elsewhere"),
                "Blue-green deploy failed: the ConfigMap 'config' of the manifest is for namespace 'elsewhere', but the "
                        + "rollout is in 'shop'"));
        rows.add(manifest("the same ConfigMap twice",
                deployment("2.1.0") + "---\n" + configMap("config", null) + "---\n" + configMap("config", null),
                "Blue-green deploy failed: the manifest holds the ConfigMap 'config' twice"));
        rows.add(manifest("a Secret without a name", deployment("2.1.0") + "---\napiVersion: v1\nkind: Secret\nmetadata: {}\n",
                "Blue-green deploy failed: a Secret of the manifest has no metadata.name"));
        rows.add(manifest("a container image :latest", deployment("latest"),
                "Blue-green deploy failed: container 'app': the image 'registry.example.com/shop/checkout:latest' uses "
                        + "the tag 'latest', which can change under a rollout; use an immutable tag or a digest"));
        rows.add(manifest("an init container image without a tag", deployment("2.1.0").replace("      containers:\n",
                "      initContainers:\n      - name: migrate\n        image: registry.example.com/shop/migrate\n      containers:\n"),
                "Blue-green deploy failed: init container 'migrate': the image 'registry.example.com/shop/migrate' has no "
                        + "tag; use an immutable tag such as :1.4.0 or a digest (@sha256:...)"));
        rows.add(manifest("a Deployment of extensions/v1beta1", deployment("2.1.0").replace("apps/v1", "extensions/v1beta1"),
                "Blue-green deploy failed: the Deployment has apiVersion 'extensions/v1beta1'; only apps/v1 is supported"));
        rows.add(manifest("a Deployment without a selector",
                deployment("2.1.0").replace("  selector:\n    matchLabels: {app: checkout}\n", ""),
                "Blue-green deploy failed: the Deployment 'checkout' needs spec.selector.matchLabels (for example app: "
                        + "<name>) so that Services can select its pods"));
        rows.add(manifest("a mapping with the same key twice",
                deployment("2.1.0").replace("  replicas: 3\n", "  replicas: 3\n  replicas: 4\n"),
                "Blue-green deploy failed: the manifest is not valid YAML: a mapping has the same key twice (line 7, column 3)"));
        rows.add(manifest("broken JSON", "{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\",, }",
                "Blue-green deploy failed: the manifest is not valid JSON (line 1, column 48)"));
        rows.add(manifest("2 MB", deployment("2.1.0") + "# " + "x".repeat(2 * 1024 * 1024) + "\n",
                "The manifest 'k8s/checkout.yaml' is larger than 1,048,576 bytes."));
        rows.add(step(MANIFESTS, "blueGreenDeploy(manifest: 'k8s/missing.yaml'), no such file", "blueGreenDeploy",
                args("manifest", "k8s/missing.yaml"),
                "No manifest at 'k8s/missing.yaml' in the workspace."));
        rows.add(step(MANIFESTS, "blueGreenDeploy(manifest: a path of two lines)", "blueGreenDeploy",
                args("manifest", "k8s/a.yaml\nrm -rf /"),
                "blueGreenDeploy: manifest must be a workspace path of one line, at most 1000 characters."));

        String urls = "URLs";
        rows.add(step(urls, "shiftTraffic(serverUrl: 'file:///etc/kubernetes/admin.conf')", "shiftTraffic",
                inline("file:///etc/kubernetes/admin.conf", "k8s-token", "percent", 5),
                "shiftTraffic: serverUrl: only http and https URLs are allowed."));
        rows.add(step(urls, "shiftTraffic(serverUrl: 'jar:file:/tmp/x.jar!/')", "shiftTraffic",
                inline("jar:file:/tmp/x.jar!/", "k8s-token", "percent", 5),
                "shiftTraffic: serverUrl: only http and https URLs are allowed."));
        rows.add(step(urls, "shiftTraffic(serverUrl: 'https://admin:<password>@...')", "shiftTraffic",
                inline("https://admin:" + URL_PASSWORD + "@127.0.0.1:6443", "k8s-token", "percent", 5),
                "shiftTraffic: serverUrl: the URL must not contain a user name or password: use a credentials ID."));
        rows.add(step(urls, "shiftTraffic(serverUrl: 'https://127.0.0.1:70000')", "shiftTraffic",
                inline("https://127.0.0.1:70000", "k8s-token", "percent", 5),
                "shiftTraffic: serverUrl: the URL is not well formed."));
        rows.add(step(urls, "shiftTraffic(prometheusUrl: 'file:///etc/passwd', analysisWindow: '5m')", "shiftTraffic",
                args("percent", 50, "prometheusUrl", "file:///etc/passwd", "analysisWindow", "5m"),
                "shiftTraffic: prometheusUrl: only http and https URLs are allowed."));
        rows.add(step(urls, "verifyMetrics(prometheusUrl: 'http://prometheus:9090/?x=1')", "verifyMetrics",
                args("prometheusUrl", "http://prometheus:9090/?x=1"),
                "verifyMetrics: prometheusUrl: the URL must not contain a query or a fragment."));
        rows.add(step(urls, "blueGreenDeploy(smokeTestBaseUrl: 'file:///etc/passwd')", "blueGreenDeploy",
                args("image", IMAGE, "smokeTestBaseUrl", "file:///etc/passwd"),
                "blueGreenDeploy: smokeTestBaseUrl: only http and https URLs are allowed"));
        rows.add(step(urls, "blueGreenDeploy(smokeTestBaseUrl: 'http://ci:<password>@checkout-${color}...')", "blueGreenDeploy",
                args("image", IMAGE, "smokeTestBaseUrl", "http://ci:" + URL_PASSWORD + "@checkout-${color}.shop.svc:8080"),
                "blueGreenDeploy: smokeTestBaseUrl: the URL must not contain a user name or password: use a credentials ID"));

        String credentials = "Credentials";
        String server = mock.server.url("/").replaceAll("/$", "");
        rows.add(step(credentials, "shiftTraffic(serverUrl: ..., credentialsId: a username with password)", "shiftTraffic",
                inline(server, "deployer-password", "percent", 5),
                "Credentials 'deployer-password' cannot be used for a Kubernetes cluster: use secret text (a token) or a "
                        + "secret file (a kubeconfig)."));
        rows.add(step(credentials, "shiftTraffic(serverUrl: ..., credentialsId: a kubeconfig with exec)", "shiftTraffic",
                inline(server, "exec-kubeconfig", "percent", 5),
                "Traffic shift failed: the kubeconfig uses exec (it would run a program on the Jenkins controller), which "
                        + "the plugin does not allow"));
        rows.add(step(credentials, "shiftTraffic(serverUrl: ..., credentialsId: an empty secret text)", "shiftTraffic",
                inline(server, "empty-token", "percent", 5),
                "Credentials 'empty-token' are empty."));
        rows.add(step(credentials, "shiftTraffic(serverUrl: ..., credentialsId: 'nope'), no such credentials", "shiftTraffic",
                inline(server, "nope", "percent", 5),
                "Credentials 'nope' were not found."));
        rows.add(step(credentials, "shiftTraffic(serverUrl: ...) without credentialsId", "shiftTraffic",
                inline(server, null, "percent", 5),
                "A Kubernetes cluster given by its server URL needs a credentials ID: a service account token (secret "
                        + "text) or a kubeconfig (secret file)."));
        rows.add(step(credentials, "shiftTraffic(cluster: 'lab', credentialsId: 'k8s-token')", "shiftTraffic",
                args("percent", 5, "credentialsId", "k8s-token"),
                "Kubernetes cluster 'lab' uses the credentials of its configuration; a credentials ID is only for a "
                        + "cluster given by its server URL."));
        rows.add(step(credentials, "shiftTraffic(prometheusUrl: ..., prometheusCredentialsId: a secret file, analysisWindow: '5m')",
                "shiftTraffic", args("percent", 50, "prometheusUrl", "http://127.0.0.1:1",
                        "prometheusCredentialsId", "exec-kubeconfig", "analysisWindow", "5m"),
                "Credentials 'exec-kubeconfig' cannot be used for Prometheus: use secret text (a bearer token) or a user "
                        + "name with password."));
        rows.add(step(credentials, "verifyMetrics(prometheus: 'main', prometheusCredentialsId: 'prom-token')", "verifyMetrics",
                args("prometheus", "main", "prometheusCredentialsId", "prom-token"),
                "Prometheus server 'main' uses the credentials of its configuration; a credentials ID is only for a "
                        + "server given by its URL."));

        String silences = "Silences";
        rows.add(step(silences, "shiftTraffic(alertmanager: 'oncall', silence: [matchers: 'alertname=~\".*\"'])", "shiftTraffic",
                args("percent", 5, "alertmanager", "oncall", "silence", Map.of("matchers", "alertname=~\".*\"")),
                "shiftTraffic: silence.matchers: the alert matchers alertname=~\".*\" select every alert: add a matcher "
                        + "that names values, e.g. namespace=\"shop\" or alertname=~\"PodNotReady|KubeDeploymentReplicasMismatch\" "
                        + "(=~\".*\", =~\".+\", =\"\", != and !~ only narrow a selection)"));
        rows.add(step(silences, "shiftTraffic(alertmanager: 'oncall', silence: [matcher: ...])", "shiftTraffic",
                args("percent", 5, "alertmanager", "oncall", "silence", Map.of("matcher", "namespace=\"shop\"")),
                "shiftTraffic: silence: unknown key matcher (known: matchers)"));
        rows.add(step(silences, "blueGreenDeploy(silence: [matchers: ...]) without an Alertmanager", "blueGreenDeploy",
                args("image", IMAGE, "silence", Map.of("matchers", "namespace=\"shop\"")),
                "blueGreenDeploy: silence and acknowledgeOnRollback need an Alertmanager: set alertmanager (a configured "
                        + "server) or alertmanagerUrl."));
        rows.add(step(silences, "shiftTraffic(alertmanagerUrl: 'https://am:<password>@...', acknowledgeOnRollback: true)",
                "shiftTraffic", args("percent", 5, "alertmanagerUrl", "https://am:" + URL_PASSWORD + "@127.0.0.1:9093",
                        "acknowledgeOnRollback", true),
                "shiftTraffic: alertmanagerUrl: the URL must not contain a user name or password: use a credentials ID."));

        KubernetesCluster.DescriptorImpl clusterForm = new KubernetesCluster.DescriptorImpl();
        PrometheusServer.DescriptorImpl prometheusForm = new PrometheusServer.DescriptorImpl();
        String kubeToken = "file:///var/run/secrets/kubernetes.io/serviceaccount/token";
        rows.add(config("cluster name 'prod eu'", () -> new KubernetesCluster("prod eu", "https://k8s.example.com"),
                () -> clusterForm.doCheckName("prod eu"),
                "'prod eu' is not a valid name: use up to 63 letters, digits, '.', '_' or '-', starting with a letter or digit."));
        rows.add(config("cluster URL '" + kubeToken + "'", () -> new KubernetesCluster("prod", kubeToken),
                () -> clusterForm.doCheckServerUrl(kubeToken),
                "Only http:// and https:// URLs are allowed."));
        rows.add(config("cluster URL 'jar:file:/tmp/x.jar!/'", () -> new KubernetesCluster("prod", "jar:file:/tmp/x.jar!/"),
                () -> clusterForm.doCheckServerUrl("jar:file:/tmp/x.jar!/"),
                "Only http:// and https:// URLs are allowed."));
        String withPassword = "https://admin:" + URL_PASSWORD + "@k8s.example.com";
        rows.add(config("cluster URL 'https://admin:<password>@k8s.example.com'", () -> new KubernetesCluster("prod", withPassword),
                () -> clusterForm.doCheckServerUrl(withPassword),
                "The URL must not contain a user name or password; choose credentials instead."));
        rows.add(config("cluster URL 'https:///api' (no host)", () -> new KubernetesCluster("prod", "https:///api"),
                () -> clusterForm.doCheckServerUrl("https:///api"),
                "The URL has no host."));
        rows.add(config("cluster URL 'https://k8s.example.com:70000'", () -> new KubernetesCluster("prod", "https://k8s.example.com:70000"),
                () -> clusterForm.doCheckServerUrl("https://k8s.example.com:70000"),
                "This is not a well-formed URL."));
        rows.add(config("cluster namespace 'Shop'", () -> new KubernetesCluster("prod", "https://k8s.example.com").setNamespace("Shop"),
                () -> clusterForm.doCheckNamespace("Shop"),
                "'Shop' is not a valid namespace: lower-case letters, digits and '-', at most 63 characters."));
        rows.add(config("cluster CA certificate that is not PEM",
                () -> new KubernetesCluster("prod", "https://k8s.example.com").setCaCertificate("not a certificate"),
                () -> clusterForm.doCheckCaCertificate("not a certificate"),
                "This is not a PEM-encoded X.509 certificate (-----BEGIN CERTIFICATE-----)."));
        rows.add(config("two clusters named 'prod' and 'PROD'", () -> BlueGreenGlobalConfiguration.get().setClusters(List.of(
                new KubernetesCluster("prod", "https://a.example.com"), new KubernetesCluster("PROD", "https://b.example.com"))),
                null,
                "Two Kubernetes clusters are named 'PROD'; names must be unique (case does not count)."));
        rows.add(config("cluster credentials: a username with password", null,
                () -> clusterForm.doCheckCredentialsId("https://k8s.example.com", "deployer-password"),
                "Credentials 'deployer-password' are not of a kind this server accepts."));
        rows.add(config("Prometheus URL 'http://prometheus:9090/?x=1'", () -> new PrometheusServer("main", "http://prometheus:9090/?x=1"),
                () -> prometheusForm.doCheckUrl("http://prometheus:9090/?x=1"),
                "The URL must not contain a query (?) or a fragment (#)."));
        rows.add(config("Prometheus URL 'file:///etc/passwd'", () -> new PrometheusServer("main", "file:///etc/passwd"),
                () -> prometheusForm.doCheckUrl("file:///etc/passwd"),
                "Only http:// and https:// URLs are allowed."));
        rows.add(config("Prometheus request timeout 0", () -> new PrometheusServer("main", "http://prometheus:9090").setRequestTimeoutSeconds(0),
                () -> prometheusForm.doCheckRequestTimeoutSeconds("0"),
                "Enter a whole number of seconds from 1 to 300."));
        rows.add(config("Prometheus request timeout 301",
                () -> new PrometheusServer("main", "http://prometheus:9090").setRequestTimeoutSeconds(301),
                () -> prometheusForm.doCheckRequestTimeoutSeconds("301"),
                "Enter a whole number of seconds from 1 to 300."));
        return rows;
    }

    // ---- how rows are made -----------------------------------------------------------------------------------

    private static Map<String, Object> args(Object... keysAndValues) {
        return argsFor(EngineLab.SERVICE, keysAndValues);
    }

    private static Map<String, Object> argsFor(String service, Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", service);
        m.put("cluster", "lab");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] == null) {
                m.remove(keysAndValues[i]);
            } else {
                m.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return m;
    }

    /** The arguments of a nested object, gate(...) or smokeTest(...). */
    private static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> argsOn(String cluster, Object... keysAndValues) {
        Map<String, Object> m = args(keysAndValues);
        m.put("cluster", cluster);
        return m;
    }

    /** An inline cluster: {@code serverUrl} and {@code credentialsId} instead of the configured one. */
    private static Map<String, Object> inline(String serverUrl, String credentialsId, Object... keysAndValues) {
        Map<String, Object> m = args(keysAndValues);
        m.remove("cluster");
        m.put("serverUrl", serverUrl);
        m.put("namespace", lab.namespace);
        if (credentialsId != null) {
            m.put("credentialsId", credentialsId);
        }
        return m;
    }

    private static MetricGate gate(Map<String, ?> arguments) {
        return StructsBinding.instantiate(MetricGate.class, arguments);
    }

    private static SmokeTest smoke(Map<String, ?> arguments) {
        return StructsBinding.instantiate(SmokeTest.class, arguments);
    }

    private static final Map<String, Class<? extends Step>> STEPS = Map.of(
            "blueGreenDeploy", BlueGreenDeployStep.class,
            "shiftTraffic", ShiftTrafficStep.class,
            "verifyMetrics", VerifyMetricsStep.class,
            "rollback", RollbackStep.class);

    /** A step as a Pipeline runs it: bound, started, and run on the timer until it ends. */
    private static Row step(String area, String input, String function, Map<String, Object> arguments, String message) {
        return new Row(area, input, trace -> {
            Step step = StructsBinding.instantiate(STEPS.get(function), arguments);
            trace.store(ARGUMENTS, new JenkinsXStream().toXml(step));
            TestContext context = new TestContext(job.newBuild());
            context.live().workspace = new FilePath(workspace.toFile());
            StepExecution execution;
            try {
                execution = step.start(context);
            } catch (AbortException e) {
                trace.refused = "when the step starts";
                return e.getMessage();
            }
            trace.refused = "when the step runs";
            context.live().execution = execution;
            execution.start();
            context.saveState();
            String seen;
            try {
                seen = "(not refused: the step returned " + context.live().result.get(20, TimeUnit.SECONDS) + ")";
            } catch (ExecutionException e) {
                seen = e.getCause() instanceof AbortException ? e.getCause().getMessage() : String.valueOf(e.getCause());
            } catch (TimeoutException e) {
                execution.stop(new AbortException("the catalogue gave up"));
                seen = "(not refused within 20 s)";
            }
            trace.store("the build log", context.live().log());
            if (context.live().saved != null) {
                trace.store("the saved step state", context.live().saved);
            }
            RolloutAction action = context.live().run.getAction(RolloutAction.class);
            if (action != null) {
                trace.store("the build's report", new JenkinsXStream().toXml(action));
            }
            return seen;
        }, message);
    }

    /** {@code blueGreenDeploy(manifest: 'k8s/checkout.yaml')} with {@code text} in the workspace. */
    private static Row manifest(String input, String text, String message) {
        Row run = step(MANIFESTS, input, "blueGreenDeploy", args("manifest", "k8s/checkout.yaml"), message);
        return new Row(MANIFESTS, "manifest: " + input, trace -> {
            Files.writeString(workspace.resolve("k8s/checkout.yaml"), text);
            return run.attempt().run(trace);
        }, message);
    }

    /**
     * A value of the global configuration, bound as Configuration-as-Code and the saved form bind it, and checked by the
     * form's own check of that field (as an administrator): both must say the same.
     */
    private static Row config(String input, ThrowingRunnable binding, FormCheck form, String message) {
        return new Row(CONFIGURATION, input, trace -> {
            String bound = null;
            if (binding != null) {
                trace.refused = "when it is bound";
                try {
                    binding.run();
                    bound = "(not refused)";
                } catch (IllegalArgumentException e) {
                    bound = e.getMessage();
                }
            }
            if (form == null) {
                return bound;
            }
            String checked;
            try (ACLContext ignored = TestJenkins.as(ADMIN)) {
                FormValidation v = form.check();
                checked = v.kind == FormValidation.Kind.ERROR ? v.getMessage() : "(the form accepts it)";
            }
            if (bound == null) {
                trace.refused = "by the form check";
                return checked;
            }
            trace.refused = "when it is bound, and by the form check";
            return bound.equals(checked) ? bound : bound + " (the form says: " + checked + ")";
        }, message);
    }

    @FunctionalInterface
    interface FormCheck {
        FormValidation check() throws Exception;
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static String deployment(String tag) {
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\nspec:\n  replicas: 3\n"
                + "  selector:\n    matchLabels: {app: checkout}\n  template:\n    metadata:\n      labels: {app: checkout}\n"
                + "    spec:\n      containers:\n      - name: app\n        image: registry.example.com/shop/checkout:" + tag + "\n";
    }

    private static String configMap(String name, String namespace) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n"
                + (namespace == null ? "" : "  namespace: " + namespace + "\n") + "data:\n  a: b\n";
    }

    /** Nine levels of ten aliases each beside the Deployment: a billion strings if a parser expanded them. */
    private static String aliasBomb() {
        StringBuilder b = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [lol, lol, lol]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            b.append("  ").append(c).append(": &").append(c).append(" [")
                    .append(String.join(", ", Collections.nCopies(10, "*" + (char) (c - 1)))).append("]\n");
        }
        return deployment("2.1.0") + "---\n" + b;
    }

    // ---- the tests -------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyKindOfBadInputIsRefusedWithItsMessageAndChangesNothing() {
        return catalogue().stream().map(row -> DynamicTest.dynamicTest(row.area() + ": " + row.input(), () -> check(row)));
    }

    private static void check(Row row) throws Exception {
        drain();
        Trace trace = new Trace();
        String message;
        List<String> requests;
        try {
            // the lab's namespace is numbered per JVM: messages show the one a reader would have
            message = row.attempt().run(trace).replaceAll("\\b" + lab.namespace + "\\b", SHOWN_NAMESPACE);
        } finally {
            requests = drain();
        }
        List<String> writes = requests.stream().filter(r -> !r.startsWith("GET ")).toList();
        long reads = requests.size() - writes.size();
        TABLE.add(new String[] {row.area(), row.input(), message, trace.refused + "; "
                + (reads == 0 ? "no request" : reads + " read" + (reads == 1 ? "" : "s"))
                + (writes.isEmpty() ? "" : "; WRITES " + writes)});
        trace.store("the message", message);
        trace.store("the rollout record", recordText());
        trace.store("the configuration XML", new JenkinsXStream().toXml(support.config));
        try {
            assertEquals(row.message(), message, row.input());
            assertEquals(List.of(), writes, "the API server's request log shows a write");
            assertEquals(Weights.all(Color.BLUE), lab.liveWeights(), "the traffic did not move");
            assertEquals(Phase.READY, lab.record().getPhase(), "the rollout is where it was");
            // a password typed into a URL is in the Jenkinsfile, whose arguments Pipeline keeps as written
            trace.stored.assertNoSecret(SECRETS, (where, secret) -> secret.equals(URL_PASSWORD) && where.equals(ARGUMENTS));
        } finally {
            restore();
        }
    }

    /** After a row that changed the service (a failure of that row), the service as the next row expects it. */
    private static void restore() {
        if (lab.record().getPhase() == Phase.READY && lab.liveWeights().equals(Weights.all(Color.BLUE))) {
            return;
        }
        RolloutEngine engine = lab.engine();
        if (!lab.record().getPhase().isSettled()) {
            engine.rollback(lab.target, "the catalogue restores its service", null, EngineLab.OWNER);
        }
        engine.deploy(lab.image("2.0.0"));
    }

    /** Every request the mock API server received since the last call, as "METHOD path", whoever sent it. */
    private static List<String> drain() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r = mock.server.takeRequest(0, TimeUnit.MILLISECONDS); r != null;
                r = mock.server.takeRequest(0, TimeUnit.MILLISECONDS)) {
            out.add(r.getMethod() + " " + r.getPath());
        }
        return out;
    }

    private static String recordText() {
        ConfigMap record = mock.client.configMaps().inNamespace(lab.namespace).withName(EngineLab.SERVICE + "-bluegreen-rollout").get();
        return record == null ? "" : String.valueOf(record.getData());
    }

    @Test
    void theCatalogueHasFortyKindsOrMoreEachOnce() {
        List<Row> rows = catalogue();
        assertTrue(rows.size() >= 40, rows.size() + " rows");
        assertEquals(rows.size(), rows.stream().map(Row::input).distinct().count(), "no input twice");
    }

    /** docs/bad-input.md shows the catalogue as it is: a row added, or a message changed, changes the page. */
    @Test
    void theDocumentedTableIsTheCatalogue() throws Exception {
        Path doc = repository().resolve("docs/bad-input.md");
        String text = Files.readString(doc);
        int from = text.indexOf(TABLE_START);
        int to = text.indexOf(TABLE_END);
        assertTrue(from >= 0 && to > from, doc + " marks its table with " + TABLE_START + " and " + TABLE_END);
        String expected = markdown(catalogue().stream().map(r -> new String[] {r.area(), r.input(), r.message()}).toList());
        String documented = text.substring(from + TABLE_START.length(), to);
        if (!expected.equals(documented)) {
            Path wanted = repository().resolve("central/target/bad-input-table.md");
            Files.createDirectories(wanted.getParent());
            Files.writeString(wanted, expected);
            assertEquals(expected, documented, doc + " differs from the catalogue; the table it should hold is in " + wanted);
        }
    }

    static final String TABLE_START = "<!-- catalogue: generated from BadInputCatalogueTest, which checks it -->\n";
    static final String TABLE_END = "<!-- end of catalogue -->";

    /** The catalogue as Markdown: a table of input and message per area, in the catalogue's order. */
    static String markdown(List<String[]> rows) {
        StringBuilder b = new StringBuilder();
        String area = null;
        for (String[] r : rows) {
            if (!r[0].equals(area)) {
                area = r[0];
                b.append("\n### ").append(area).append("\n\n| input | message |\n|---|---|\n");
            }
            b.append("| ").append(cell(r[1])).append(" | ").append(cell(r[2])).append(" |\n");
        }
        return b.append('\n').toString();
    }

    /** A table cell in code format, so that the text shows as the user sees it. */
    private static String cell(String text) {
        String t = text.replace("|", "\\|");
        return t.contains("`") ? "``" + t + "``" : "`" + t + "`";
    }

    private static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isDirectory(p.resolve("src/main/java"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
    }
}
