package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.bluegreen.config.SharedHttp;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.notify.NotificationEvent;
import io.jenkins.plugins.bluegreen.notify.RolloutNotification;
import io.jenkins.plugins.bluegreen.notify.WebhookSender;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import jenkins.util.Timer;

/**
 * A running step's {@code notify} argument at work. Only the {@link ChatNotification}s are saved with the step; the
 * webhook URL is read from its credentials for each message, and the messages in flight are not saved: a notification
 * does not survive a controller restart (one in flight is lost, one announced just before may be sent again).
 *
 * <p>Nothing here waits for a webhook or lets one fail the step: messages go out asynchronously, after what they
 * announce has happened (the traffic is back before a rollback is announced), and each one settles within
 * {@link WebhookSender#TOTAL_BOUND}. A step that ends waits, without holding a thread, until its messages have settled
 * (at most {@link #SETTLE_BOUND}) so that their outcome lands in its own log; then it completes on Jenkins' timer.
 */
final class StepNotifications implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(StepNotifications.class.getName());

    static final int MAX_TARGETS = 10;
    /** The longest a step's end waits for its notifications: the sender's bound and a margin. */
    static final Duration SETTLE_BOUND = WebhookSender.TOTAL_BOUND.plusSeconds(1);

    private final ArrayList<ChatNotification> targets;

    private transient List<CompletableFuture<Void>> pending;
    /** Whether the step's ending was announced (or must not be: its notify argument was refused). */
    private transient boolean ended;
    private transient WebhookSender sender;

    StepNotifications(@CheckForNull List<ChatNotification> targets) {
        this.targets = targets == null ? new ArrayList<>() : new ArrayList<>(targets);
    }

    /**
     * Checks the {@code notify} argument when the step starts, with the other arguments.
     *
     * @throws IllegalArgumentException naming the argument and the rule
     */
    static void validate(@CheckForNull List<ChatNotification> notify) {
        if (notify == null) {
            return;
        }
        if (notify.size() > MAX_TARGETS) {
            throw new IllegalArgumentException(Messages.StepNotifications_TooMany(String.valueOf(MAX_TARGETS)));
        }
        for (ChatNotification n : notify) {
            if (n == null) {
                throw new IllegalArgumentException(Messages.StepNotifications_NullEntry());
            }
            n.validate();
        }
    }

    boolean wants(NotificationEvent event) {
        return targets.stream().anyMatch(t -> t.events().contains(event));
    }

    /**
     * When the step starts, before it changes anything: every webhook's credentials must be there for this build, be a
     * secret text and hold an acceptable URL. Then the start is announced.
     *
     * @throws AbortException refusing the step in one line, naming the credentials ID, never the URL
     */
    void start(Env env, String step) throws AbortException {
        for (ChatNotification t : targets) {
            try {
                t.webhookUrl(env.run);
            } catch (AbortException e) {
                synchronized (this) {
                    ended = true; // a step refused for its notify argument announces nothing
                }
                throw new AbortException(Messages.ClusterStep_InvalidArgument(step, Messages.StepNotifications_Refused(e.getMessage())));
            }
        }
        send(env, step, NotificationEvent.STARTED, null, null, null, false);
    }

    /** Announces a milestone of the rollout (ready, promoted, stable), without waiting for it. */
    void milestone(Env env, String step, NotificationEvent event, RolloutRecord record,
            @CheckForNull RolloutRecord before) {
        send(env, step, event, record, before, null, false);
    }

    /**
     * Announces how the step ended badly; only the first ending of a step is announced. The record is read now when
     * none is given, and only when someone listens.
     *
     * @param described the record the message may describe, given the one read (e.g. none when it is another build's)
     */
    void ending(Env env, String step, NotificationEvent event, UnaryOperator<RolloutRecord> described,
            @CheckForNull RolloutRecord record, String reason, boolean candidateFault) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        if (!wants(event)) {
            return;
        }
        RolloutRecord r = record;
        if (r == null) {
            try {
                r = env.engine.status(env.target).orElse(null);
            } catch (RuntimeException x) {
                r = null; // the cluster may be why the step failed: say what is known
            }
        }
        send(env, step, event, described.apply(r), null, reason, candidateFault);
    }

    private void send(Env env, String step, NotificationEvent event, @CheckForNull RolloutRecord record,
            @CheckForNull RolloutRecord before, @CheckForNull String reason, boolean candidateFault) {
        List<ChatNotification> to = targets.stream().filter(t -> t.events().contains(event)).collect(Collectors.toList());
        if (to.isEmpty()) {
            return;
        }
        try {
            RolloutNotification message = message(env, step, event, record, before, reason, candidateFault);
            for (ChatNotification t : to) {
                track(deliver(env, step, t, message));
            }
        } catch (RuntimeException | LinkageError x) { // a notification never fails the step
            LOGGER.log(Level.WARNING, "could not notify " + event.label() + " of " + env.target, x);
        }
    }

    private static RolloutNotification message(Env env, String step, NotificationEvent event,
            @CheckForNull RolloutRecord record, @CheckForNull RolloutRecord before, @CheckForNull String reason,
            boolean candidateFault) {
        String buildUrl = buildUrl(env.run);
        String report = null;
        if (record != null) {
            RolloutAction action = RolloutAction.record(env.run, record); // the page the message links to shows this state
            report = buildUrl == null ? null : buildUrl + action.getUrlName() + "/";
        }
        return RolloutNotification.of(event, step, env.target)
                .record(record)
                .before(before)
                .reason(reason)
                .candidateFault(candidateFault)
                .at(env.clock.instant())
                .build(env.run.getExternalizableId(), buildUrl, report)
                .build();
    }

    /** The build's absolute URL, or null when Jenkins does not know its own (Manage Jenkins » System » Jenkins URL). */
    private static @CheckForNull String buildUrl(Run<?, ?> run) {
        try {
            Jenkins jenkins = Jenkins.getInstanceOrNull();
            String root = jenkins == null ? null : jenkins.getRootUrl();
            return root == null ? null : root + run.getUrl();
        } catch (RuntimeException x) {
            return null;
        }
    }

    private CompletableFuture<Void> deliver(Env env, String step, ChatNotification target,
            RolloutNotification message) {
        String event = message.event().label();
        URI url;
        try {
            url = target.webhookUrl(env.run);
        } catch (AbortException | RuntimeException x) {
            String why = x instanceof AbortException ? x.getMessage() : x.getClass().getSimpleName();
            report(env, Messages.StepNotifications_NotResolved(step, event, target.toString(), why));
            return CompletableFuture.completedFuture(null);
        }
        return sender().send(url, target.webhookFormat().body(message)).thenAccept(d -> report(env, d.delivered()
                ? Messages.StepNotifications_Sent(step, event, target.toString(), String.valueOf(d.millis()))
                : Messages.StepNotifications_NotSent(step, event, target.toString(), String.valueOf(d.attempts()),
                        String.valueOf(d.millis()), d.problem())));
    }

    private static void report(Env env, String line) {
        env.log.println(line);
        LOGGER.log(Level.FINE, line); // a build that ended may have closed its log
    }

    private synchronized WebhookSender sender() {
        if (sender == null) {
            sender = new WebhookSender(SharedHttp.transport(), Timer.get());
        }
        return sender;
    }

    private synchronized void track(CompletableFuture<Void> delivery) {
        if (pending == null) {
            pending = new ArrayList<>();
        }
        pending.removeIf(CompletableFuture::isDone);
        pending.add(delivery);
    }

    /**
     * Runs {@code then} once the notifications sent so far have settled, or {@link #SETTLE_BOUND} has passed: at once
     * when none is in flight, else on Jenkins' timer, so that the step still completes on the thread it would have.
     */
    void whenSettled(Runnable then) {
        CompletableFuture<?>[] inFlight;
        synchronized (this) {
            inFlight = pending == null ? new CompletableFuture<?>[0]
                    : pending.stream().filter(f -> !f.isDone()).toArray(CompletableFuture<?>[]::new);
            pending = null;
        }
        if (inFlight.length == 0) {
            then.run();
            return;
        }
        CompletableFuture.allOf(inFlight).completeOnTimeout(null, SETTLE_BOUND.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ignored, failure) -> {
                    try {
                        Timer.get().execute(then);
                    } catch (RejectedExecutionException x) {
                        then.run();
                    }
                });
    }

    /** The notifications, for the Snippet Generator and tests. */
    List<ChatNotification> targets() {
        return List.copyOf(targets);
    }
}
