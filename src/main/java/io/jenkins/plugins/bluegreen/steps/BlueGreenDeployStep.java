package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.engine.CandidateSource;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.DeploySpec;
import io.jenkins.plugins.bluegreen.engine.EngineSettings;
import io.jenkins.plugins.bluegreen.engine.ImageReference;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.PreFlightCheck;
import io.jenkins.plugins.bluegreen.engine.RolloutEngine;
import io.jenkins.plugins.bluegreen.engine.RolloutException;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.engine.RouterSpec;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesNames;
import io.jenkins.plugins.bluegreen.metrics.DatabasePreflight;
import io.jenkins.plugins.bluegreen.metrics.GatePreflight;
import io.jenkins.plugins.bluegreen.metrics.PrometheusClient;
import io.jenkins.plugins.bluegreen.smoke.SmokeCheck;
import io.jenkins.plugins.bluegreen.smoke.SmokeTestException;
import io.jenkins.plugins.bluegreen.smoke.SmokeTester;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code blueGreenDeploy}: deploys a new version into the idle colour and, with a traffic plan, runs the whole
 * rollout. Pre-flight checks (the gates' queries, database connections) run before anything changes; the candidate
 * is deployed (a manifest or a Helm chart from the workspace, or a new image on the stable colour's Deployment), awaited and
 * smoke-tested directly, with no traffic; then, for each of {@code trafficSteps}, traffic shifts and the gates are
 * watched for {@code analysisWindow}; at 100 % the candidate is promoted and, after {@code bakeTime} (gates still
 * watched), the old colour is decommissioned. Any failure after the deploy began rolls back.
 */
public final class BlueGreenDeployStep extends RolloutStep {

    /** The largest manifest read from the workspace. */
    static final int MAX_MANIFEST_BYTES = 1024 * 1024;
    public static final String DEFAULT_ANALYSIS_WINDOW = "5m";

    private String manifest;
    private HelmChart helmChart;
    private String image;
    private String container;
    private String router = "istio";
    private String routerName;
    private String istioHost;
    private Integer replicas;
    private String readinessTimeout;
    private List<SmokeTest> smokeTests;
    private String smokeTestBaseUrl;
    private List<Integer> trafficSteps;
    private String analysisWindow;
    private String bakeTime;
    private Integer dbPoolSizePerPod;
    private int dbHeadroomPercent = 10;
    private String dbInstance;

    /** @param service the service (its Deployments are {@code <service>-blue} and {@code <service>-green}) */
    @DataBoundConstructor
    public BlueGreenDeployStep(String service) {
        super(service);
    }

    public @CheckForNull String getManifest() {
        return manifest;
    }

    /** @param manifest a workspace path of the Deployment manifest (YAML or JSON) */
    @DataBoundSetter
    public void setManifest(String manifest) {
        this.manifest = trimToNull(manifest);
    }

    public @CheckForNull HelmChart getHelmChart() {
        return helmChart;
    }

    /** @param helmChart a Helm chart in the workspace, rendered for the colour: {@code helmChart(chart: 'charts/app', ...)} */
    @DataBoundSetter
    public void setHelmChart(HelmChart helmChart) {
        this.helmChart = helmChart;
    }

    public @CheckForNull String getImage() {
        return image;
    }

    /** @param image the new image for the stable colour's Deployment; an immutable tag or a digest */
    @DataBoundSetter
    public void setImage(String image) {
        this.image = trimToNull(image);
    }

    public @CheckForNull String getContainer() {
        return container;
    }

    /** @param container with {@code image}: the container to change, when the pod has several */
    @DataBoundSetter
    public void setContainer(String container) {
        this.container = trimToNull(container);
    }

    public @NonNull String getRouter() {
        return router;
    }

    /** @param router {@code istio} (VirtualService), {@code gateway} (Gateway API HTTPRoute) or {@code service} (selector) */
    @DataBoundSetter
    public void setRouter(String router) {
        String r = trimToNull(router);
        this.router = r == null ? "istio" : r.toLowerCase(Locale.ROOT);
    }

    public @CheckForNull String getRouterName() {
        return routerName;
    }

    /** @param routerName the VirtualService, HTTPRoute or Service that moves the traffic; the service's name by default */
    @DataBoundSetter
    public void setRouterName(String routerName) {
        this.routerName = trimToNull(routerName);
    }

    public @CheckForNull String getIstioHost() {
        return istioHost;
    }

    /** @param istioHost an Istio VirtualService that splits by subsets {@code blue}/{@code green} of this host */
    @DataBoundSetter
    public void setIstioHost(String istioHost) {
        this.istioHost = trimToNull(istioHost);
    }

    public @CheckForNull Integer getReplicas() {
        return replicas;
    }

    @DataBoundSetter
    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public @CheckForNull String getReadinessTimeout() {
        return readinessTimeout;
    }

    @DataBoundSetter
    public void setReadinessTimeout(String readinessTimeout) {
        this.readinessTimeout = trimToNull(readinessTimeout);
    }

    public @CheckForNull List<SmokeTest> getSmokeTests() {
        return smokeTests == null ? null : new ArrayList<>(smokeTests);
    }

    @DataBoundSetter
    public void setSmokeTests(List<SmokeTest> smokeTests) {
        this.smokeTests = smokeTests == null || smokeTests.isEmpty() ? null : new ArrayList<>(smokeTests);
    }

    public @CheckForNull String getSmokeTestBaseUrl() {
        return smokeTestBaseUrl;
    }

    /** @param smokeTestBaseUrl where the candidate answers, with {@code ${color}}; by default the API server's service proxy */
    @DataBoundSetter
    public void setSmokeTestBaseUrl(String smokeTestBaseUrl) {
        this.smokeTestBaseUrl = trimToNull(smokeTestBaseUrl);
    }

    public @CheckForNull List<Integer> getTrafficSteps() {
        return trafficSteps == null ? null : new ArrayList<>(trafficSteps);
    }

    /** @param trafficSteps the candidate's share after each step, rising, e.g. {@code [5, 50, 100]}; none deploys only */
    @DataBoundSetter
    public void setTrafficSteps(List<Integer> trafficSteps) {
        this.trafficSteps = trafficSteps == null || trafficSteps.isEmpty() ? null : new ArrayList<>(trafficSteps);
    }

    public @CheckForNull String getAnalysisWindow() {
        return analysisWindow;
    }

    /** @param analysisWindow how long the gates are watched after each traffic step; 5 minutes with a Prometheus */
    @DataBoundSetter
    public void setAnalysisWindow(String analysisWindow) {
        this.analysisWindow = trimToNull(analysisWindow);
    }

    public @CheckForNull String getBakeTime() {
        return bakeTime;
    }

    /** @param bakeTime after promotion: how long the old colour stays up (gates watched) before it is decommissioned */
    @DataBoundSetter
    public void setBakeTime(String bakeTime) {
        this.bakeTime = trimToNull(bakeTime);
    }

    public @CheckForNull Integer getDbPoolSizePerPod() {
        return dbPoolSizePerPod;
    }

    /** @param dbPoolSizePerPod each pod's connection pool size: checks before deploying that both colours fit in the database */
    @DataBoundSetter
    public void setDbPoolSizePerPod(Integer dbPoolSizePerPod) {
        this.dbPoolSizePerPod = dbPoolSizePerPod;
    }

    public int getDbHeadroomPercent() {
        return dbHeadroomPercent;
    }

    @DataBoundSetter
    public void setDbHeadroomPercent(int dbHeadroomPercent) {
        this.dbHeadroomPercent = dbHeadroomPercent;
    }

    public @CheckForNull String getDbInstance() {
        return dbInstance;
    }

    /**
     * @param dbInstance with {@code dbPoolSizePerPod}: the {@code instance} label of the PostgreSQL server's exporter,
     *     when Prometheus scrapes more than one
     */
    @DataBoundSetter
    public void setDbInstance(String dbInstance) {
        this.dbInstance = trimToNull(dbInstance);
    }

    @Override
    String functionName() {
        return DescriptorImpl.FUNCTION_NAME;
    }

    @Override
    void validate() {
        super.validate();
        BlueGreenDeployPlan.validate(this);
    }

    @Override
    StepExecution newExecution(StepContext context) {
        return new Execution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends GatedStepDescriptor {
        static final String FUNCTION_NAME = "blueGreenDeploy";

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BlueGreenDeployStep_DisplayName();
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object s = namedArgs.get("service");
            if (!(s instanceof String)) {
                return null;
            }
            // a helmChart argument is shown by name only: its set values may be secret
            Object what = namedArgs.get("image") instanceof String ? namedArgs.get("image")
                    : namedArgs.get("helmChart") != null ? "Helm chart" : namedArgs.get("manifest");
            Object steps = namedArgs.get("trafficSteps");
            return s + (what instanceof String ? " \u2190 " + what : "") + (steps instanceof List ? " " + steps + " %" : "");
        }


        @POST
        public FormValidation doCheckReadinessTimeout(@QueryParameter String value) {
            return StepForms.checkDuration("readinessTimeout", value);
        }

        @POST
        public ListBoxModel doFillRouterItems(@QueryParameter String router) {
            return StepForms.fillRouterItems(router);
        }
    }

    /**
     * The rollout as a {@link RolloutPlanExecution}. The saved state holds the arguments (the manifest's or the chart's
     * workspace paths and the chart's {@code set} values, not a manifest's or a rendered chart's text: they are read and
     * rendered again if a restart interrupts the deploy), the stage and the window in progress; never a client.
     */
    public static final class Execution extends RolloutPlanExecution {
        private static final long serialVersionUID = 1L;

        private final String manifest;
        private final HelmChart helmChart;
        private final String image;
        private final String container;
        private final RouterSpec router;
        private final Integer replicas;
        private final Duration readinessTimeout;
        private final ArrayList<SmokeCheck> smokeChecks = new ArrayList<>();
        private final String smokeTestBaseUrl;
        private final Integer dbPoolSizePerPod;
        private final int dbHeadroomPercent;
        private final String dbInstance;
        private boolean firstRollout;
        /** Saved before the engine's deploy begins: a resumed deploy may find it already done. */
        private boolean deployBegun;
        /** Saved once the candidate is applied: until then, the readiness checks go on after a restart. */
        private Instant readyDeadline;

        Execution(BlueGreenDeployStep step, StepContext context) {
            super(context, step, BlueGreenDeployPlan.stages(step), true);
            this.manifest = step.manifest;
            this.helmChart = step.helmChart == null ? null : step.helmChart.copy();
            this.image = step.image;
            this.container = step.container;
            this.router = BlueGreenDeployPlan.routerSpec(step);
            this.replicas = step.replicas;
            this.readinessTimeout = DurationArgument.parse("readinessTimeout", step.readinessTimeout);
            if (step.smokeTests != null) {
                step.smokeTests.forEach(t -> smokeChecks.add(t.toCheck()));
            }
            this.smokeTestBaseUrl = step.smokeTestBaseUrl;
            this.dbPoolSizePerPod = step.dbPoolSizePerPod;
            this.dbHeadroomPercent = step.dbHeadroomPercent;
            this.dbInstance = step.dbInstance;
        }

        @Override
        String functionName() {
            return DescriptorImpl.FUNCTION_NAME;
        }

        @Override
        String resumingStatus() {
            return "resuming the rollout";
        }

        @Override
        String failed(String reason) {
            return Messages.BlueGreenDeployStep_Failed(reason);
        }

        @Override
        boolean ownsRollout() {
            return true;
        }

        @Override
        boolean skip(Stage stage) {
            return firstRollout && stage.kind() != Stage.Kind.SMOKE;
        }

        @Override
        Instant deploy(Env env) throws Exception {
            if (readyDeadline == null) {
                if (deployBegun && firstRolloutWentLive(env)) {
                    return null;
                }
                DeploySpec spec = new DeploySpec(env.target, source(env), router, replicas, readinessTimeout, env.owner(),
                        preFlightChecks(env));
                deployBegun = true;
                checkpoint();
                if (mustStop() != null) {
                    return env.clock.instant(); // not saved, or the build is gone: the next piece stops the step
                }
                env.engine.beginDeploy(spec);
                readyDeadline = env.clock.instant().plus(spec.readinessTimeout());
                checkpoint();
            }
            Duration timeout = readinessTimeout != null ? readinessTimeout : DeploySpec.DEFAULT_READINESS_TIMEOUT;
            Optional<RolloutEngine.Outcome> done = env.engine.checkDeploy(env.target, env.owner(), readyDeadline, timeout);
            if (done.isEmpty()) {
                setStatus("waiting for " + env.target + " to become ready (until " + readyDeadline + ")");
                Instant now = env.clock.instant();
                Instant again = now.plus(RolloutEngine.readinessPollDelay(Duration.between(readyDeadline.minus(timeout), now)));
                return again.isAfter(readyDeadline) ? readyDeadline : again;
            }
            if (done.get().record().getPhase() == Phase.STABLE) {
                firstRollout = true; // went live at once: there is no traffic to move and nothing to roll back to
                env.log.println(Messages.BlueGreenDeployStep_FirstRollout(env.target.toString()));
            }
            return null;
        }

        /** A first rollout that went live just before a restart: deploying again would start a second one. */
        private boolean firstRolloutWentLive(Env env) {
            RolloutRecord before = env.engine.status(env.target).orElse(null);
            if (before != null && before.getPhase() == Phase.STABLE && before.getCandidate() == null
                    && env.owner().equals(before.getOwner()) && before.getStartedAt() != null) {
                firstRollout = true;
                env.log.println(Messages.BlueGreenDeployStep_FirstRollout(env.target.toString()));
                return true;
            }
            return false;
        }

        private CandidateSource source(Env env) throws Exception {
            if (helmChart != null) { // rendered for both colours before anything changes: the engine picks the colour
                return HelmChartRendering.render(helmChart, getContext().get(FilePath.class), env.target,
                        line -> env.log.println(Messages.ClusterStep_Event(functionName(), "helm", line)));
            }
            return manifest != null ? new CandidateSource.Manifest(readManifest()) : new CandidateSource.NewImage(image, container);
        }

        private List<PreFlightCheck> preFlightChecks(Env env) throws Exception {
            List<PreFlightCheck> checks = new ArrayList<>();
            if (hasPrometheus()) {
                PrometheusClient prometheus = prometheus(env);
                RolloutTarget target = env.target;
                List<MetricGate> gates = gates();
                checks.add(new GatePreflight(prometheus, color -> GatedStep.gatesFor(gates, target, color), env.clock));
                if (dbPoolSizePerPod != null) {
                    checks.add(new DatabasePreflight(prometheus, dbInstance == null ? Map.of() : Map.of("instance", dbInstance),
                            dbPoolSizePerPod, dbHeadroomPercent, env.clock));
                }
            }
            return checks;
        }

        @Override
        void smokeTest(Env env) throws Exception {
            RolloutRecord record = env.engine.status(env.target).orElseThrow(() -> new AbortException(
                    Messages.RolloutPlan_NoRecord(env.target.toString())));
            Color color = firstRollout ? record.stableColor() : record.candidateColor();
            SmokeTester tester = smokeTestBaseUrl != null ? SmokeTester.viaBaseUrl(smokeTestBaseUrl)
                    : SmokeTester.viaServiceProxy(env.client);
            try {
                for (String line : tester.run(env.target.namespace(), env.target.service(), color.label(), smokeChecks)) {
                    env.log.println(Messages.ClusterStep_Event(functionName(), "smoke", line));
                }
            } catch (SmokeTestException e) {
                if (firstRollout) {
                    throw new AbortException(Messages.BlueGreenDeployStep_FirstRolloutSmokeFailed(e.getMessage()));
                }
                throw new SmokeFailure(e.getMessage());
            }
        }

        private String readManifest() throws Exception {
            FilePath workspace = getContext().get(FilePath.class);
            if (workspace == null) {
                throw new AbortException(Messages.BlueGreenDeployStep_NoWorkspace(manifest));
            }
            FilePath file = workspace.child(manifest);
            if (!file.exists()) {
                throw new AbortException(Messages.BlueGreenDeployStep_ManifestMissing(manifest));
            }
            byte[] bytes;
            try (InputStream in = file.read()) {
                bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            }
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new AbortException(Messages.BlueGreenDeployStep_ManifestTooLarge(manifest, MAX_MANIFEST_BYTES));
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
