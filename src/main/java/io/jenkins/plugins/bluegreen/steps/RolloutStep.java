package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments of the steps that run a rollout ({@code blueGreenDeploy}, {@code shiftTraffic}) with the on-call's
 * Alertmanager: where it is (a configured name, or an inline URL with an optional credentials ID), the alerts to
 * silence during the rollout window ({@code silence: [matchers: '...']}, a Pipeline map) and whether a rollback
 * acknowledges the candidate's firing alerts. Checked when the step starts; see {@link StepSilences}.
 */
public abstract class RolloutStep extends GatedStep {

    static final Set<String> SILENCE_KEYS = Set.of("matchers");
    static final Duration DEFAULT_ACKNOWLEDGE_FOR = Duration.ofHours(1);
    static final Duration MAX_ACKNOWLEDGE_FOR = Duration.ofHours(24);

    private String alertmanager;
    private String alertmanagerUrl;
    private String alertmanagerCredentialsId;
    /** The silence map as written: text values only (anything else is refused when the step starts). */
    private LinkedHashMap<String, Object> silence;
    private boolean acknowledgeOnRollback;
    private String acknowledgeFor;
    private String acknowledgeMatchers;

    protected RolloutStep(String service) {
        super(service);
    }

    public @CheckForNull String getAlertmanager() {
        return alertmanager;
    }

    /** @param alertmanager the name of an Alertmanager of the global configuration */
    @DataBoundSetter
    public void setAlertmanager(String alertmanager) {
        this.alertmanager = trimToNull(alertmanager);
    }

    public @CheckForNull String getAlertmanagerUrl() {
        return alertmanagerUrl;
    }

    /** @param alertmanagerUrl an inline Alertmanager (checked when the step starts) */
    @DataBoundSetter
    public void setAlertmanagerUrl(String alertmanagerUrl) {
        this.alertmanagerUrl = trimToNull(alertmanagerUrl);
    }

    public @CheckForNull String getAlertmanagerCredentialsId() {
        return alertmanagerCredentialsId;
    }

    /** @param alertmanagerCredentialsId the ID of an inline Alertmanager's credentials; never the secret itself */
    @DataBoundSetter
    public void setAlertmanagerCredentialsId(String alertmanagerCredentialsId) {
        this.alertmanagerCredentialsId = trimToNull(alertmanagerCredentialsId);
    }

    /** The silence map as written, or null. */
    public @CheckForNull Map<String, Object> getSilence() {
        return silence == null ? null : new LinkedHashMap<>(silence);
    }

    /**
     * @param silence a Pipeline map, e.g. {@code [matchers: 'alertname=~"PodNotReady",namespace="shop"']}; structs
     *     passes a map argument through unchanged (see {@link HelmChart#setSet})
     */
    @DataBoundSetter
    public void setSilence(Map<String, ?> silence) {
        this.silence = silence == null || silence.isEmpty() ? null : new LinkedHashMap<>();
        if (silence != null) {
            silence.forEach((k, v) -> this.silence.put(String.valueOf(k).trim(), v));
        }
    }

    public boolean isAcknowledgeOnRollback() {
        return acknowledgeOnRollback;
    }

    /** @param acknowledgeOnRollback whether a rollback silences the candidate's firing alerts for a while */
    @DataBoundSetter
    public void setAcknowledgeOnRollback(boolean acknowledgeOnRollback) {
        this.acknowledgeOnRollback = acknowledgeOnRollback;
    }

    public @CheckForNull String getAcknowledgeFor() {
        return acknowledgeFor;
    }

    /** @param acknowledgeFor how long an acknowledgement silences the candidate's alerts (default 1h) */
    @DataBoundSetter
    public void setAcknowledgeFor(String acknowledgeFor) {
        this.acknowledgeFor = trimToNull(acknowledgeFor);
    }

    public @CheckForNull String getAcknowledgeMatchers() {
        return acknowledgeMatchers;
    }

    /** @param acknowledgeMatchers the alerts a rollback acknowledges, instead of the candidate's namespace, service and colour */
    @DataBoundSetter
    public void setAcknowledgeMatchers(String acknowledgeMatchers) {
        this.acknowledgeMatchers = trimToNull(acknowledgeMatchers);
    }

    /** The window silence's matchers as written (with placeholders), or null. */
    @CheckForNull
    String silenceMatchers() {
        Object m = silence == null ? null : silence.get("matchers");
        return m == null ? null : m.toString().trim();
    }

    Duration acknowledgeDuration() {
        Duration d = DurationArgument.parse("acknowledgeFor", acknowledgeFor);
        return d == null ? DEFAULT_ACKNOWLEDGE_FOR : d;
    }

    @Override
    void validate() {
        super.validate();
        if (silence != null) {
            for (Map.Entry<String, Object> e : silence.entrySet()) {
                if (!SILENCE_KEYS.contains(e.getKey())) {
                    throw new IllegalArgumentException(Messages.RolloutStep_SilenceUnknownKey(e.getKey(), String.join(", ",
                            SILENCE_KEYS)));
                }
                if (!(e.getValue() instanceof CharSequence)) {
                    throw new IllegalArgumentException(Messages.RolloutStep_SilenceNotText(e.getKey()));
                }
            }
            StepSilences.check("silence.matchers", silenceMatchers(), getService());
        }
        if (acknowledgeMatchers != null) {
            StepSilences.check("acknowledgeMatchers", acknowledgeMatchers, getService());
        }
        DurationArgument.parseWithin("acknowledgeFor", acknowledgeFor, Duration.ofMinutes(1), MAX_ACKNOWLEDGE_FOR);
        boolean wanted = silence != null || acknowledgeOnRollback || acknowledgeMatchers != null || acknowledgeFor != null;
        if (alertmanager != null && alertmanagerUrl != null) {
            throw new IllegalArgumentException(Messages.RolloutStep_AlertmanagerNameAndUrl());
        }
        if (wanted && alertmanager == null && alertmanagerUrl == null) {
            throw new IllegalArgumentException(Messages.RolloutStep_AlertmanagerRequired());
        }
        checkUrl("alertmanagerUrl", alertmanagerUrl);
    }
}
