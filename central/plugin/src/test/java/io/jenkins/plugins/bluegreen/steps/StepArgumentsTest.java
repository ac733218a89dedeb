package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.testkit.StructsBinding;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad argument, as a Pipeline writes it, is bound as structs binds it (constructor, then setters, by name) without
 * an exception (an exception there reaches the user as "Could not instantiate" and a hundred lines of stack), and the
 * step then refuses to start with one line naming the step, the argument and the rule: before any execution exists,
 * so nothing in the cluster can change.
 */
class StepArgumentsTest {

    private static final Map<String, Class<? extends Step>> STEPS = Map.of(
            "blueGreenDeploy", BlueGreenDeployStep.class,
            "shiftTraffic", ShiftTrafficStep.class,
            "verifyMetrics", VerifyMetricsStep.class,
            "rollback", RollbackStep.class);

    private static final String IMAGE = "registry.example.com/shop/checkout:2.0.0";

    static Stream<Arguments> badArguments() {
        return Stream.of(
                bad("shiftTraffic", Map.of("service", "checkout", "percent", 150), "percent", "from 0 to 100, not 150"),
                bad("shiftTraffic", Map.of("service", "checkout", "percent", -1), "percent", "from 0 to 100, not -1"),
                bad("shiftTraffic", Map.of("service", "Checkout_Svc", "percent", 5), "service", "not a valid service name"),
                bad("shiftTraffic", Map.of("service", "", "percent", 5), "service", "is required"),
                bad("shiftTraffic", Map.of("service", "checkout", "percent", 5, "namespace", "Not_NS"), "namespace", "not a valid namespace"),
                bad("shiftTraffic", Map.of("service", "checkout", "percent", 5, "analysisWindow", "soon", "prometheus", "main"),
                        "analysisWindow", "is not a duration"),
                bad("shiftTraffic", Map.of("service", "checkout", "percent", 50, "promote", true), "promote", "needs percent: 100"),
                bad("shiftTraffic", Map.of("service", "checkout", "percent", 100, "promote", true, "bakeTime", "170h"),
                        "bakeTime", "must be from"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", "registry.example.com/shop/checkout:latest"),
                        "latest", "immutable"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "router", "nginx"), "router",
                        "istio, gateway or service"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "trafficSteps", List.of(50, 5)),
                        "trafficSteps", "must rise"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "replicas", 0), "replicas", "from 1 to"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "readinessTimeout", "3h"),
                        "readinessTimeout", "must be from"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "dbHeadroomPercent", 60),
                        "dbHeadroomPercent", "from 0 to 50"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "dbPoolSizePerPod", 0, "prometheus", "main"),
                        "dbPoolSizePerPod", "from 1 to 10000"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "dbInstance", "db 1"), "dbInstance", "instance"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "smokeTestBaseUrl", "ftp://example.com"),
                        "smokeTestBaseUrl", "http"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "manifest", "k8s/a.yaml\nrm -rf"), "manifest", "one line"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "container", "App_1"), "container",
                        "not a container name"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "routerName", "Front_VS"), "routerName",
                        "not a Kubernetes object name"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "manifest", "k8s/a.yaml"),
                        "manifest, image or helmChart", "not several"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "helmChart", helm(Map.of("chart", "charts/app"))),
                        "manifest, image or helmChart", "not several"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", " "))), "chart", "is required"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "/srv/charts/app"))),
                        "helmChart chart", "absolute path"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "charts/../../etc"))),
                        "helmChart chart", "leaves the workspace"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "oci://registry.example.com/app"))),
                        "helmChart", "not supported yet"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "https://charts.example.com/app-1.0.tgz"))),
                        "helmChart", "not supported yet"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "charts/app",
                        "values", List.of("..\\secrets.yaml")))), "helmChart values", "leaves the workspace"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "charts/app",
                        "values", List.of("C:\\values.yaml")))), "helmChart values", "absolute path"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "charts/app",
                        "set", Map.of("image tag", "1.0")))), "helmChart set", "'image tag' is not a value name"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "charts/app",
                        "set", Map.of("image", Map.of("tag", "1.0"))))), "helmChart set", "value of 'image' is not a string"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "charts/app",
                        "set", Map.of("environment.name", "prod"), "colorValue", "environment"))), "helmChart set",
                        "is the colour value 'environment'"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "charts/app",
                        "colorValue", "env=green"))), "helmChart colorValue", "not a value name"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE,
                        "smokeTests", List.of(StructsBinding.instantiate(SmokeTest.class, Map.of("path", "healthz")))),
                        "path", "is not valid"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE,
                        "smokeTests", List.of(StructsBinding.instantiate(SmokeTest.class, Map.of("path", "/", "status", 600)))),
                        "status", "from 100 to 599"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE,
                        "gates", List.of(StructsBinding.instantiate(io.jenkins.plugins.bluegreen.steps.MetricGate.class,
                                Map.of("name", "error rate")))),
                        "gates", "not a gate name"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main", "window", "soon"), "window", "is not a duration"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main", "prometheusUrl", "http://127.0.0.1:9090"),
                        "prometheusUrl", "not both"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "errorRate", "onNoData", "MAYBE")))), "onNoData", "PASS, FAIL or INCONCLUSIVE"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "errorRate")), gate(Map.of("name", "errorRate")))), "gates", "two gates"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "errorRate", "comparison", "=>")))), "comparison", "not a comparison"),
                bad("verifyMetrics", Map.of("service", "checkout"), "prometheus", "needs a Prometheus"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "trafficShare", "minRequests", -1)))), "minRequests", "0 or more"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "p95Latency", "maxTimesStable", 0.0)))), "maxTimesStable", "more than 0"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "errorRate", "comparison", "<", "maxAboveStable", 0.005)))),
                        "maxAboveStable", "fails upwards"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "p95Latency", "judge", "kayenta")))), "judge", "is not a judge: use 'mannWhitney'"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "alerts")))), "alerts", "give the alerts to watch"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "alerts", "alerts", "severity=~\".*\"")))), "alerts", "select every alert"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "alerts", "alerts", "severity=\"critical\"", "threshold", 2.0)))),
                        "alerts", "an alert gate takes alerts"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "p95Latency", "judgeConfidence", 0.99)))), "judgeConfidence",
                        "add judge: 'mannWhitney'"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "p95Latency", "judge", "mannWhitney", "judgeConfidence", 1.0)))),
                        "judgeConfidence", "at least 0.5 and below 1"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "gates", List.of(gate(Map.of("name", "errorRate", "comparison", "<", "judge", "mannWhitney")))),
                        "judge", "fails upwards"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main", "warmUp", "soon"), "warmUp",
                        "is not a duration"),
                bad("shiftTraffic", Map.of("service", "checkout", "percent", 5, "prometheus", "main", "warmUp", "2h"), "warmUp",
                        "must be from"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "minEvaluations", 0), "minEvaluations",
                        "from 1 to"),
                bad("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE,
                        "notify", List.of(chat(Map.of("credentialsId", "prod-alerts-webhook", "on", List.of("rollback", "rolback"))))),
                        "notify", "on has 'rolback', which is not an event: use started, ready, promoted, stable, rollback or failed"),
                bad("shiftTraffic", Map.of("service", "checkout", "percent", 5,
                        "notify", List.of(chat(Map.of("credentialsId", "prod-alerts-webhook", "on", List.of())))), "on", "is empty"),
                bad("verifyMetrics", Map.of("service", "checkout", "prometheus", "main",
                        "notify", List.of(chat(Map.of("credentialsId", "prod-alerts-webhook", "format", "discord")))), "format",
                        "slack, teams or json, not 'discord'"),
                bad("rollback", Map.of("service", "checkout", "notify", List.of(chat(Map.of("format", "json")))), "credentialsId",
                        "the ID of a secret text that holds the webhook URL"),
                bad("rollback", Map.of("service", "checkout", "reason", "two\nlines"), "reason", "one line"),
                bad("rollback", Map.of("service", "checkout", "namespace", "-bad-"), "namespace", "not a valid namespace"));
    }

    /** helmChart(...) as structs binds it: {@code set} is a Pipeline map, passed through as it is. */
    private static HelmChart helm(Map<String, ?> arguments) {
        return StructsBinding.instantiate(HelmChart.class, arguments);
    }

    private static ChatNotification chat(Map<String, ?> arguments) {
        return StructsBinding.instantiate(ChatNotification.class, arguments);
    }

    private static MetricGate gate(Map<String, ?> arguments) {
        return StructsBinding.instantiate(MetricGate.class, arguments);
    }

    private static Arguments bad(String function, Map<String, ?> arguments, String argument, String rule) {
        return Arguments.of(function, arguments, argument, rule);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badArguments")
    void aBadArgumentBindsAndIsRefusedInOneLineWhenTheStepStarts(String function, Map<String, ?> arguments, String argument,
            String rule) {
        Step step = assertDoesNotThrow(() -> StructsBinding.instantiate(STEPS.get(function), arguments),
                "binding never fails: structs would print a stack trace");
        String message = StepTestSupport.refusal(step);
        assertTrue(message.startsWith(function + ": "), "names the step: " + message);
        assertTrue(message.contains(argument), "names the argument " + argument + ": " + message);
        assertTrue(message.contains(rule), "says the rule (" + rule + "): " + message);
        assertTrue(message.length() < 400, "one short line: " + message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodArguments")
    void goodArgumentsBindAndPassTheChecks(String function, Map<String, ?> arguments) {
        ClusterStep step = (ClusterStep) StructsBinding.instantiate(STEPS.get(function), arguments);
        assertDoesNotThrow(step::validate);
        assertEquals(function, step.functionName());
    }

    static Stream<Arguments> goodArguments() {
        return Stream.of(
                Arguments.of("shiftTraffic", Map.of("service", "checkout", "percent", 100, "promote", true, "bakeTime", "1h")),
                Arguments.of("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "trafficSteps", List.of(5, 50, 100),
                        "prometheus", "main", "gates", List.of(gate(Map.of("name", "errorRate", "threshold", 0.02))),
                        "smokeTests", List.of(StructsBinding.instantiate(SmokeTest.class, Map.of("path", "/healthz"))))),
                Arguments.of("blueGreenDeploy", Map.of("service", "checkout", "trafficSteps", List.of(5, 100), "helmChart",
                        helm(Map.of("chart", "charts/my-service", "values", List.of("values-prod.yaml", "ci/values.yaml"),
                                "set", Map.of("image.tag", "1.4.0", "replicaCount", 4, "ingress.enabled", true,
                                        "podAnnotations.prometheus\\.io/scrape", "true", "args[0]", "--verbose"),
                                "colorValue", "environment")))),
                Arguments.of("blueGreenDeploy", Map.of("service", "checkout", "helmChart", helm(Map.of("chart", "dist/my-service-1.4.0.tgz")))),
                Arguments.of("verifyMetrics", Map.of("service", "checkout", "prometheus", "main", "window", "10m")),
                Arguments.of("rollback", Map.of("service", "checkout", "reason", "on-call decided")),
                Arguments.of("blueGreenDeploy", Map.of("service", "checkout", "image", IMAGE, "notify", List.of(
                        chat(Map.of("credentialsId", "prod-alerts-webhook", "on", List.of("Rollback", " promoted "))),
                        chat(Map.of("credentialsId", "teams-webhook", "format", "TEAMS"))))));
    }
}
