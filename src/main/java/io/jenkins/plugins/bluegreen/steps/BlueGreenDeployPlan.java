package io.jenkins.plugins.bluegreen.steps;

import io.jenkins.plugins.bluegreen.engine.DeploySpec;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.ImageReference;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesNames;
import io.jenkins.plugins.bluegreen.smoke.SmokeTester;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code blueGreenDeploy}'s arguments mean: each one checked (when the step starts, never while it is bound), the
 * router they name, and the stages of the rollout they ask for.
 */
final class BlueGreenDeployPlan {

    private static final List<String> ROUTERS = List.of("istio", "gateway", "service");
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,253}");

    private BlueGreenDeployPlan() {}

    /**
     * Checks every argument and their combination.
     *
     * @throws IllegalArgumentException naming the argument and the rule it breaks
     */
    static void validate(BlueGreenDeployStep step) {
        String manifest = step.getManifest();
        if (manifest != null && (manifest.length() > 1000 || manifest.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_ManifestInvalid());
        }
        HelmChart helmChart = step.getHelmChart();
        if (helmChart != null) {
            helmChart.validate();
        }
        if (step.getImage() != null) {
            try {
                ImageReference.check(step.getImage());
            } catch (RolloutException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        String container = step.getContainer();
        if (container != null && !KubernetesNames.isNamespace(container)) { // a container name is a DNS label
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_ContainerInvalid(container));
        }
        if (!ROUTERS.contains(step.getRouter())) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_RouterInvalid(step.getRouter()));
        }
        String routerName = step.getRouterName();
        if (routerName != null && !KubernetesNames.isNamespace(routerName)) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_RouterNameInvalid(routerName));
        }
        Integer replicas = step.getReplicas();
        if (replicas != null && (replicas < 1 || replicas > DeploySpec.MAX_REPLICAS)) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_ReplicasInvalid(replicas, DeploySpec.MAX_REPLICAS));
        }
        DurationArgument.parseWithin("readinessTimeout", step.getReadinessTimeout(), Duration.ofSeconds(1),
                DeploySpec.MAX_READINESS_TIMEOUT);
        List<SmokeTest> smokeTests = step.getSmokeTests();
        if (smokeTests != null) {
            for (SmokeTest t : smokeTests) {
                if (t == null) {
                    throw new IllegalArgumentException(Messages.BlueGreenDeployStep_NullSmokeTest());
                }
                t.validate();
            }
        }
        if (step.getSmokeTestBaseUrl() != null) {
            SmokeTester.viaBaseUrl(step.getSmokeTestBaseUrl()); // checks the URL
        }
        checkTrafficSteps(step.getTrafficSteps());
        DurationArgument.parseWithin("analysisWindow", step.getAnalysisWindow(), Duration.ofSeconds(1), DurationArgument.MAX_WINDOW);
        DurationArgument.parseWithin("bakeTime", step.getBakeTime(), Duration.ZERO, EngineSettings.MAX_BAKE_TIME);
        if (step.getTrafficSteps() != null) { // each step's window, the default one included
            step.requireWindowFitsGates("analysisWindow", step.getAnalysisWindow() != null ? step.getAnalysisWindow()
                    : BlueGreenDeployStep.DEFAULT_ANALYSIS_WINDOW);
        }
        step.requireWindowFitsGates("bakeTime", step.getBakeTime());
        Integer poolSize = step.getDbPoolSizePerPod();
        if (poolSize != null && (poolSize < 1 || poolSize > 10_000)) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_PoolSizeInvalid(poolSize));
        }
        if (step.getDbHeadroomPercent() < 0 || step.getDbHeadroomPercent() > 50) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_HeadroomInvalid(step.getDbHeadroomPercent()));
        }
        String instance = step.getDbInstance();
        if (instance != null && !INSTANCE.matcher(instance).matches()) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_DbInstanceInvalid(instance));
        }
        stages(step); // the combination
    }

    private static void checkTrafficSteps(List<Integer> trafficSteps) {
        if (trafficSteps == null) {
            return;
        }
        int previous = 0;
        for (Integer p : trafficSteps) {
            if (p == null || p <= previous || p > 100) {
                throw new IllegalArgumentException(Messages.BlueGreenDeployStep_TrafficStepsInvalid(String.valueOf(trafficSteps)));
            }
            previous = p;
        }
    }

    /** The router as the engine knows it. */
    static RouterSpec routerSpec(BlueGreenDeployStep step) {
        String name = step.getRouterName() != null ? step.getRouterName() : step.getService();
        switch (step.getRouter()) {
            case "service":
                return RouterSpec.serviceSelector(name);
            case "gateway":
                return RouterSpec.byServices(RouterSpec.Kind.GATEWAY_HTTP_ROUTE, name, step.getService());
            default:
                return step.getIstioHost() != null ? RouterSpec.istioSubsets(name, step.getIstioHost())
                        : RouterSpec.byServices(RouterSpec.Kind.ISTIO_VIRTUAL_SERVICE, name, step.getService());
        }
    }

    /**
     * The stages, checking the combination of arguments.
     *
     * @throws IllegalArgumentException naming the arguments that do not go together
     */
    static List<RolloutPlanExecution.Stage> stages(BlueGreenDeployStep step) {
        int sources = (step.getManifest() == null ? 0 : 1) + (step.getImage() == null ? 0 : 1) + (step.getHelmChart() == null ? 0 : 1);
        if (sources != 1) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_SourceRequired());
        }
        if (step.getContainer() != null && step.getImage() == null) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_ContainerNeedsImage());
        }
        if (step.getIstioHost() != null && !step.getRouter().equals("istio")) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_IstioHostNeedsIstio());
        }
        try {
            routerSpec(step); // names checked now
        } catch (RolloutException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (step.getDbPoolSizePerPod() != null) {
            step.requirePrometheus("dbPoolSizePerPod");
        } else if (step.getDbInstance() != null) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_DbInstanceNeedsPoolSize());
        }
        if (step.getAnalysisWindow() != null) {
            step.requirePrometheus("analysisWindow");
        }
        List<RolloutPlanExecution.Stage> plan = new ArrayList<>();
        plan.add(RolloutPlanExecution.Stage.of(RolloutPlanExecution.Stage.Kind.DEPLOY));
        if (step.getSmokeTests() != null) {
            plan.add(RolloutPlanExecution.Stage.of(RolloutPlanExecution.Stage.Kind.SMOKE));
        }
        List<Integer> trafficSteps = step.getTrafficSteps();
        if (trafficSteps == null) {
            if (step.getBakeTime() != null) {
                throw new IllegalArgumentException(Messages.BlueGreenDeployStep_BakeNeedsSteps());
            }
            return plan;
        }
        if (step.getRouter().equals("service") && !trafficSteps.equals(List.of(100))) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_SelectorAllOrNothing(String.valueOf(trafficSteps)));
        }
        Duration window = step.hasPrometheus() ? DurationArgument.parse("analysisWindow",
                step.getAnalysisWindow() != null ? step.getAnalysisWindow() : BlueGreenDeployStep.DEFAULT_ANALYSIS_WINDOW) : null;
        for (int percent : trafficSteps) {
            plan.add(RolloutPlanExecution.Stage.shift(percent));
            if (window != null) {
                plan.add(RolloutPlanExecution.Stage.analyze(window));
            }
        }
        boolean complete = trafficSteps.get(trafficSteps.size() - 1) == 100;
        if (step.getBakeTime() != null && !complete) {
            throw new IllegalArgumentException(Messages.BlueGreenDeployStep_BakeNeedsSteps());
        }
        RolloutPlanExecution.Stage.addCompletion(plan, complete, DurationArgument.parse("bakeTime", step.getBakeTime()));
        return plan;
    }
}
