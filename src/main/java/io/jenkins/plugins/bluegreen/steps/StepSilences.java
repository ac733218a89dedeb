package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.bluegreen.alerting.AlertMatcher;
import io.jenkins.plugins.bluegreen.alerting.AlertMatchers;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerClient;
import io.jenkins.plugins.bluegreen.alerting.AlertmanagerException;
import io.jenkins.plugins.bluegreen.alerting.FiringAlert;
import io.jenkins.plugins.bluegreen.alerting.Silence;
import io.jenkins.plugins.bluegreen.alerting.SilenceRequest;
import io.jenkins.plugins.bluegreen.config.Connections;
import io.jenkins.plugins.bluegreen.engine.AlertSilence;
import io.jenkins.plugins.bluegreen.engine.Color;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.metrics.PromqlTemplate;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * A rollout step's Alertmanager silences at work. The window silence is created when the rollout starts, before
 * anything changes (one that cannot be created refuses the step), is short-lived and extended by each piece of work
 * that finds it near its end, and is expired when the step ends, whatever the ending. An acknowledgement (opt-in)
 * silences, after a rollback, the alerts then firing for the candidate, for a while, and is left to end on its own.
 *
 * <p>Saved with the step: where the Alertmanager is (a name, or a URL and a credentials ID), the matchers as written
 * and the window silence's ID; never a secret or a client. The silences are also listed in the rollout record, so a
 * {@code rollback} in another build expires the window silence too. Extending, expiring and acknowledging never fail
 * or delay a rollback: each is logged and given up (a silence not expired ends on its own at its end time).
 */
final class StepSilences implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(StepSilences.class.getName());

    /** How long the window silence lasts before an extension; package-private for tests. */
    static Duration span = Duration.ofMinutes(30);
    /** A piece of work extends the window silence when less than this is left of it; package-private for tests. */
    static Duration extendBefore = Duration.ofMinutes(10);
    /** The most acknowledgement silences one rollback makes (one per alert name). */
    static final int MAX_ACKNOWLEDGED = 10;
    /** No request of an acknowledgement starts later than this after the rollback (each is bounded by its timeout). */
    static final Duration ACKNOWLEDGE_BOUND = Duration.ofSeconds(15);

    private final String alertmanager;
    private final String url;
    private final String credentialsId;
    private final String matchers;
    private final boolean acknowledge;
    private final Duration acknowledgeFor;
    private final String acknowledgeMatchers;

    private String windowId;
    private String windowEndsAt;
    /** Whether the window silence is listed in the rollout record (a first rollout has none before its deploy). */
    private boolean recorded;
    private boolean ended;
    private boolean acknowledged;

    private transient AlertmanagerClient client;
    /** After a failed extension, when to try again: no piece of work runs at once again for it. */
    private transient Instant retryAt;

    StepSilences(RolloutStep step) {
        this.alertmanager = step.getAlertmanager();
        this.url = step.getAlertmanagerUrl();
        this.credentialsId = step.getAlertmanagerCredentialsId();
        this.matchers = step.silenceMatchers();
        this.acknowledge = step.isAcknowledgeOnRollback();
        this.acknowledgeFor = step.acknowledgeDuration();
        this.acknowledgeMatchers = step.getAcknowledgeMatchers();
    }

    /**
     * Checks matchers when the step starts: placeholders {@code ${namespace}}, {@code ${service}} (and
     * {@code ${color}}) filled with sample values, then no empty or match-everything set.
     *
     * @throws IllegalArgumentException naming the argument
     */
    static void check(String argument, @CheckForNull String text, String service) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(Messages.StepSilences_Invalid(argument, "it is empty"));
        }
        try {
            AlertMatchers.parse(render(text, "default", service.isEmpty() ? "service" : service, Color.BLUE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Messages.StepSilences_Invalid(argument, e.getMessage()), e);
        }
    }

    private static String render(String text, String namespace, String service, Color color) {
        return PromqlTemplate.render(text, Map.of("namespace", namespace, "service", service, "color", color.label()));
    }

    /** The window silence's ID, or null (for tests and the status). */
    synchronized @CheckForNull String windowId() {
        return windowId;
    }

    /** Before each piece of work: the window silence created when the rollout starts, then listed and extended. */
    synchronized void beforePiece(Env env, String step, boolean starting) throws AbortException, InterruptedException {
        if (starting) {
            begin(env, step);
        }
        tick(env, step);
    }

    /**
     * Creates the window silence when the rollout starts, once (a restart keeps its ID).
     *
     * @throws AbortException naming the Alertmanager and the reason: the step changes nothing then
     */
    synchronized void begin(Env env, String step) throws AbortException, InterruptedException {
        if (matchers == null && acknowledge && !ended) { // acknowledgement only: a bad name or credentials refuse the step now, not at a rollback
            try {
                client(env.run);
            } catch (Exception x) {
                throw new AbortException(Messages.ClusterStep_InvalidArgument(step, StepFailures.message(x)));
            }
        }
        if (matchers == null || windowId != null || ended) {
            return;
        }
        Instant now = env.clock.instant();
        try {
            AlertMatchers selector = AlertMatchers.parse(render(matchers, env.target.namespace(), env.target.service(), Color.BLUE));
            Instant end = now.plus(span);
            windowId = client(env.run).createSilence(SilenceRequest.byJenkins(selector, now, end,
                    Messages.StepSilences_WindowComment(step, env.target.toString(), where(env.run))));
            windowEndsAt = end.toString();
        } catch (InterruptedException x) {
            throw x;
        } catch (Exception x) {
            throw new AbortException(Messages.StepSilences_CreateFailed(step, where(), StepFailures.message(x)));
        }
        env.log.println(Messages.StepSilences_Created(step, windowId, where(), windowEndsAt));
        record(env, step);
    }

    /** Each piece of work: lists the window silence in the record if it is not yet, and extends it near its end. */
    synchronized void tick(Env env, String step) throws InterruptedException {
        if (windowId == null || ended) {
            return;
        }
        if (!recorded) {
            record(env, step);
        }
        Instant now = env.clock.instant();
        if (Duration.between(now, Instant.parse(windowEndsAt)).compareTo(extendBefore) > 0
                || retryAt != null && now.isBefore(retryAt)) {
            return;
        }
        retryAt = null;
        try {
            Silence s = client(env.run).extendSilence(windowId, now.plus(span));
            String old = windowId;
            windowId = s.id();
            windowEndsAt = s.endsAt().toString();
            if (s.isExpired()) { // someone expired it on purpose: never re-created
                ended = true;
                env.log.println(Messages.StepSilences_ExpiredElsewhere(step, old, where()));
                return;
            }
            env.log.println(Messages.StepSilences_Extended(step, windowId, windowEndsAt));
            if (!old.equals(windowId)) {
                String id = windowId;
                String endsAt = windowEndsAt;
                env.engine.updateSilences(env.target, "window silence " + old + " replaced by " + id, list -> {
                    list.replaceAll(a -> old.equals(a.id()) ? a.withId(id, endsAt) : a);
                    return list;
                });
            }
        } catch (InterruptedException x) {
            throw x;
        } catch (Exception x) {
            retryAt = now.plus(retryDelay());
            env.log.println(Messages.StepSilences_ExtendFailed(step, windowId, where(), StepFailures.message(x), windowEndsAt));
        }
    }

    /** When the next piece of work must run at the latest, so that the window silence is extended in time. */
    synchronized Instant wakeBy(Instant at) {
        if (windowId == null || ended) {
            return at;
        }
        Instant due = Instant.parse(windowEndsAt).minus(extendBefore);
        if (retryAt != null && due.isBefore(retryAt)) {
            due = retryAt;
        }
        return due.isBefore(at) ? due : at;
    }

    /** A tenth of the margin, at least a second: a few more tries before the silence ends on its own. */
    private static Duration retryDelay() {
        Duration d = extendBefore.dividedBy(10);
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    /** When the step ends, whatever the ending: expires the window silence (once). Never throws. */
    synchronized void end(Env env, String step) {
        if (windowId == null || ended) {
            return;
        }
        ended = true;
        try {
            boolean found = client(env.run).expireSilence(windowId);
            env.log.println(found ? Messages.StepSilences_Expired(step, windowId, where())
                    : Messages.StepSilences_Gone(step, windowId, where()));
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            env.log.println(Messages.StepSilences_ExpireFailed(step, windowId, where(), "interrupted", windowEndsAt));
        } catch (Exception | LinkageError x) {
            LOGGER.log(Level.FINE, "could not expire silence " + windowId, x);
            env.log.println(Messages.StepSilences_ExpireFailed(step, windowId, where(), StepFailures.message(x), windowEndsAt));
        }
    }

    /**
     * After the step's rollout was rolled back, with the traffic back already: when asked for, the alerts firing for
     * the candidate (its namespace, service and colour, or the step's acknowledgeMatchers) are silenced for
     * acknowledgeFor, one silence per alert name, each listed in the record and the log. Once; never throws.
     */
    synchronized void rolledBack(Env env, String step, @CheckForNull RolloutRecord record, String reason) {
        if (!acknowledge || acknowledged) {
            return;
        }
        acknowledged = true;
        Instant giveUp = Instant.now().plus(ACKNOWLEDGE_BOUND);
        try {
            RolloutRecord r = record != null ? record : env.engine.status(env.target).orElse(null);
            Color candidate = r == null ? null : r.candidateColor();
            if (candidate == null) {
                return;
            }
            AlertMatchers selector = acknowledgeMatchers != null
                    ? AlertMatchers.parse(render(acknowledgeMatchers, env.target.namespace(), env.target.service(), candidate))
                    : AlertMatchers.of(AlertMatcher.equal("namespace", env.target.namespace()),
                            AlertMatcher.equal("service", env.target.service()), AlertMatcher.equal("color", candidate.label()));
            AlertmanagerClient c = client(env.run);
            TreeSet<String> names = new TreeSet<>();
            for (FiringAlert a : c.firingAlerts(selector, true)) {
                names.add(a.name());
            }
            if (names.isEmpty()) {
                env.log.println(Messages.StepSilences_NothingToAcknowledge(step, selector.toString()));
                return;
            }
            Long recovery = r.getRollback() == null ? null : r.getRollback().recoveryMillis();
            Instant now = env.clock.instant();
            Instant end = now.plus(acknowledgeFor);
            String comment = Messages.StepSilences_AckComment(env.target.toString(), candidate.label(), reason,
                    recovery == null ? "-" : recovery + " ms", where(env.run));
            List<AlertSilence> made = new ArrayList<>();
            for (String name : names) {
                if (made.size() >= MAX_ACKNOWLEDGED || Instant.now().isAfter(giveUp)) {
                    env.log.println(Messages.StepSilences_AckLimited(step, String.valueOf(made.size()),
                            String.valueOf(names.size())));
                    break;
                }
                List<AlertMatcher> m = new ArrayList<>(selector.matchers());
                m.removeIf(x -> x.name().equals("alertname"));
                m.add(AlertMatcher.equal("alertname", name));
                String id;
                try {
                    id = c.createSilence(SilenceRequest.byJenkins(new AlertMatchers(m), now, end, comment));
                } catch (AlertmanagerException x) { // those made so far are still recorded
                    env.log.println(Messages.StepSilences_AckFailed(step, where(), x.getMessage()));
                    break;
                }
                made.add(new AlertSilence(alertmanager, url, credentialsId, id, AlertSilence.ACK, env.owner(), end.toString()));
                env.log.println(Messages.StepSilences_Acknowledged(step, name, id, where(), end.toString()));
            }
            if (made.isEmpty()) {
                return;
            }
            env.engine.updateSilences(env.target, "acknowledged the candidate's alerts until " + end + ": "
                    + made.stream().map(AlertSilence::id).reduce((a, b) -> a + ", " + b).orElse(""), list -> {
                        list.addAll(made);
                        return list;
                    });
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        } catch (Exception | LinkageError x) {
            LOGGER.log(Level.FINE, "could not acknowledge the alerts of " + env.target, x);
            env.log.println(Messages.StepSilences_AckFailed(step, where(), StepFailures.message(x)));
        }
    }

    /**
     * The window silences a record lists, expired by a {@code rollback} (maybe in another build): a step that died
     * with its build cannot expire its own. Best effort: each failure is logged.
     */
    static void expireRecorded(Env env, String step, @CheckForNull RolloutRecord record) {
        if (record == null) {
            return;
        }
        Map<String, AlertmanagerClient> clients = new LinkedHashMap<>();
        for (AlertSilence s : record.getSilences()) {
            if (!s.isWindow() || s.id() == null) {
                continue;
            }
            try {
                String key = s.alertmanager() + "|" + s.url() + "|" + s.credentialsId();
                AlertmanagerClient c = clients.get(key);
                if (c == null) {
                    c = Connections.alertmanager(env.run, s.alertmanager(), s.url(), s.credentialsId());
                    clients.put(key, c);
                }
                Silence now = c.silence(s.id()).orElse(null);
                if (now == null || now.isExpired()) {
                    continue;
                }
                c.expireSilence(s.id());
                env.log.println(Messages.StepSilences_Expired(step, s.id(), s.where()));
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | LinkageError x) {
                env.log.println(Messages.StepSilences_ExpireFailed(step, s.id(), s.where(), StepFailures.message(x), s.endsAt()));
            }
        }
    }

    private void record(Env env, String step) {
        try {
            String id = windowId;
            String endsAt = windowEndsAt; // read under the lock: the change runs in a lambda
            recorded = env.engine.updateSilences(env.target, step + " silenced " + matchers + " in " + where()
                    + " (silence " + id + ")", list -> {
                        list.removeIf(a -> id.equals(a.id()));
                        list.add(new AlertSilence(alertmanager, url, credentialsId, id, AlertSilence.WINDOW, env.owner(),
                                endsAt));
                        return list;
                    }).isPresent();
        } catch (RuntimeException x) { // listed at the next piece of work
            LOGGER.log(Level.FINE, "could not list silence " + windowId + " in the record of " + env.target, x);
        }
    }

    private AlertmanagerClient client(Run<?, ?> run) throws Exception {
        if (client == null) {
            client = Connections.alertmanager(run, alertmanager, url, credentialsId);
        }
        return client;
    }

    /** The Alertmanager, for log lines: its name or inline URL. */
    private String where() {
        return alertmanager != null ? "Alertmanager '" + alertmanager + "'" : "Alertmanager " + url;
    }

    /** The build as the on-call reads it in a silence's comment: its URL, or its ID when Jenkins has no root URL. */
    private static String where(Run<?, ?> run) {
        try {
            Jenkins j = Jenkins.getInstanceOrNull();
            String root = j == null ? null : j.getRootUrl();
            return root == null ? run.getExternalizableId() : root + run.getUrl();
        } catch (RuntimeException x) {
            return run.getExternalizableId();
        }
    }
}
