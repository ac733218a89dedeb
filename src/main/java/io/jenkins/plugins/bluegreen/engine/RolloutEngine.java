package io.jenkins.plugins.bluegreen.engine;

import static io.jenkins.plugins.bluegreen.engine.EngineRules.describe;
import static io.jenkins.plugins.bluegreen.engine.EngineRules.guardCapacity;
import static io.jenkins.plugins.bluegreen.engine.EngineRules.human;
import static io.jenkins.plugins.bluegreen.engine.EngineRules.requirePhase;
import static io.jenkins.plugins.bluegreen.engine.EngineRules.requireRecord;
import static io.jenkins.plugins.bluegreen.engine.EngineRules.requireStable;
import static io.jenkins.plugins.bluegreen.engine.EngineRules.shortRevision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rollout engine: deploy the idle colour, shift traffic, promote, decommission after the bake time, roll
 * back. Every operation takes the service's lock, reads the record and the live objects, and converges, so that
 * running it twice is harmless and a second process can finish what a dead one started. The record is written
 * before each change to the cluster (what is about to happen) and after it (what happened), so it always tells
 * the truth about where a rollout stands.
 */
public class RolloutEngine {

    private final Cluster cluster;
    private final Clock clock;
    private final RolloutListener listener;
    private final EngineSettings settings;

    public RolloutEngine(Cluster cluster, Clock clock, RolloutListener listener, EngineSettings settings) {
        this.cluster = cluster;
        this.clock = clock;
        this.listener = listener == null ? RolloutListener.NONE : listener;
        this.settings = settings == null ? EngineSettings.DEFAULTS : settings;
    }

    /** The result of an operation: the record as written, and whether anything changed. */
    public record Outcome(RolloutRecord record, boolean changed, String message) {}

    /** The service's record, if it has one. Takes no lock. */
    public Optional<RolloutRecord> status(RolloutTarget target) {
        return cluster.records(target).read().map(RecordStore.Stored::record);
    }

    /** Changes the silences the record lists, with an event, without the lock; empty when there is no record. */
    public Optional<RolloutRecord> updateSilences(RolloutTarget target, String message,
            java.util.function.UnaryOperator<java.util.List<AlertSilence>> change) {
        return Session.amend(cluster.records(target), target, clock, listener, new Session.Note("silence", message, null),
                r -> r.setSilences(change.apply(new java.util.ArrayList<>(r.getSilences()))));
    }

    /**
     * Deploys the candidate into the idle colour and waits until it is ready, without giving it traffic. On the
     * very first rollout of a service there is nothing to compare with: the candidate (blue) goes live as soon as
     * it is ready. A candidate that does not become ready is scaled to zero, and the error says why. The lock is
     * held throughout; a caller that must not block a thread for the readiness wait uses {@link #beginDeploy} and
     * {@link #checkDeploy} instead.
     */
    public Outcome deploy(DeploySpec spec) {
        checkManifest(spec);
        try (Session s = open(spec.target(), spec.owner(), settings.lockWait())) {
            Color candidate = beginDeploy(s, spec);
            Readiness readiness = cluster.workloads(spec.target()).awaitReady(candidate, spec.readinessTimeout());
            return completeDeploy(s, readiness, spec.readinessTimeout(), true);
        }
    }

    /**
     * The first half of {@link #deploy}: pre-flight checks, then the candidate applied (phase DEPLOYING), without
     * waiting for it. {@link #checkDeploy} then tells, without blocking, whether it has become ready.
     */
    public Outcome beginDeploy(DeploySpec spec) {
        checkManifest(spec);
        try (Session s = open(spec.target(), spec.owner(), settings.lockWait())) {
            beginDeploy(s, spec);
            return new Outcome(s.record(), true, s.lastMessage());
        }
    }

    /**
     * A manifest is checked before the lock is taken too, so that one refused for what it holds changes nothing in the
     * cluster, not even the Lease. Its validity does not depend on the colour; under the lock it is checked again.
     */
    private void checkManifest(DeploySpec spec) {
        if (spec.source() instanceof CandidateSource.Manifest) {
            cluster.workloads(spec.target()).validate(spec.source(), null);
        }
    }

    /**
     * The second half of {@link #deploy}, without blocking: a candidate that is ready is recorded so (READY, or
     * live on a first rollout); one that is not ready once {@code deadline} has passed is scaled to zero and the
     * error says why; otherwise nothing changes and the result is empty. A deploy that finished already is reported
     * as it is; one replaced by another owner's deploy, or ended by a rollback, is an error.
     *
     * @param readinessTimeout the timeout the deadline came from, for messages
     */
    public Optional<Outcome> checkDeploy(RolloutTarget target, String owner, Instant deadline, Duration readinessTimeout) {
        String who = Owners.check(owner);
        RolloutRecord r = status(target).orElseThrow(() -> new RolloutException(RolloutException.Kind.WRONG_PHASE,
                target + " has no rollout record: the deploy did not begin"));
        if (r.getPhase() != Phase.DEPLOYING) {
            if ((r.getPhase() == Phase.READY || r.getPhase() == Phase.STABLE) && who.equals(r.getOwner())) {
                return Optional.of(new Outcome(r, false, "the deploy finished already: " + target + " is " + r.getPhase()));
            }
            throw new RolloutException(RolloutException.Kind.WRONG_PHASE, "the deploy of " + target + " ended while waiting "
                    + "for readiness: the rollout is " + r.getPhase() + (r.getRollback() == null ? "" : " (" + r.getRollback().reason() + ")"));
        }
        if (!who.equals(r.getOwner())) {
            throw new RolloutException(RolloutException.Kind.WRONG_PHASE, "the deploy of " + target + " was replaced by one of "
                    + r.getOwner());
        }
        Readiness readiness = cluster.workloads(target).awaitReady(r.candidateColor(), Duration.ZERO);
        if (!readiness.ready() && now().isBefore(deadline)) {
            return Optional.empty();
        }
        try (Session s = open(target, who, settings.lockWait())) {
            return Optional.of(completeDeploy(s, readiness, readinessTimeout, false));
        }
    }

    /**
     * How long a caller of {@link #checkDeploy} waits before the next check, {@code elapsed} after the deploy began:
     * half of that, from 100 ms to 2 s, so that a quick candidate is seen at once and a slow one costs few requests.
     */
    public static Duration readinessPollDelay(Duration elapsed) {
        long half = Math.max(0, elapsed.toMillis() / 2);
        return Duration.ofMillis(Math.min(2000, Math.max(100, half)));
    }

    /** Checks and applies the candidate in an open session; returns its colour. Phase DEPLOYING afterwards. */
    private Color beginDeploy(Session s, DeploySpec spec) {
        RolloutTarget target = spec.target();
        Workloads workloads = cluster.workloads(target);
        RolloutRecord current = s.record();
        if (current != null && current.getRouter() != null && !current.getRouter().equals(spec.router())) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the service " + target
                    + " is routed by " + describe(current.getRouter()) + ", but this rollout names " + describe(spec.router()));
        }
        TrafficRouter router = cluster.router(target.namespace(), spec.router());
        router.verify();

        Color stable;
        if (current == null) {
            stable = adoptServingColor(workloads, router);
        } else if (current.getPhase().isSettled() || current.getPhase() == Phase.DEPLOYING || current.getPhase() == Phase.READY) {
            stable = current.stableColor(); // an unfinished deploy has no traffic and may be replaced
        } else {
            throw new RolloutException(RolloutException.Kind.WRONG_PHASE, "a rollout of " + target + " is in progress ("
                    + current.getPhase() + ", " + current.getWeights() + ", by " + current.getOwner()
                    + "): promote and decommission it, or roll it back, before deploying again");
        }
        Color candidate = stable == null ? Color.BLUE : stable.other();

        // Pre-flight: nothing changes unless all of this holds.
        String revision = workloads.validate(spec.source(), stable);
        Workload stableWorkload = null;
        Weights live = null;
        if (stable != null) {
            stableWorkload = requireStable(workloads, stable, target);
            if (stableWorkload.capacityPercent() < 100) {
                throw new RolloutException(RolloutException.Kind.CLUSTER, "the stable colour " + stable + " has "
                        + stableWorkload.ready() + " of " + stableWorkload.desired() + " replicas ready; not starting a "
                        + "rollout that could not be rolled back");
            }
            live = router.read();
            if (live.of(stable) != 100) {
                throw new RolloutException(RolloutException.Kind.TRAFFIC, "expected all traffic on the stable colour "
                        + stable + ", but " + describe(spec.router()) + " holds " + live);
            }
        }
        int replicas = spec.replicas() != null ? spec.replicas() : stableWorkload != null ? stableWorkload.desired() : 0;
        java.util.List<String> preFlight = new java.util.ArrayList<>();
        for (PreFlightCheck check : spec.preFlight()) {
            preFlight.add(check.check(new PreFlightCheck.Context(target, stable,
                    stableWorkload == null ? 0 : stableWorkload.desired(), candidate,
                    replicas > 0 ? replicas : stableWorkload != null ? stableWorkload.desired() : 1)));
        }

        Weights before = live;
        Revision stableRevision = stableWorkload == null ? null : Revision.of(stableWorkload);
        s.save("phase", "deploying " + describe(spec.source()) + " as " + candidate + " (revision " + shortRevision(revision)
                + "), no traffic yet", r -> {
                    r.setRouter(spec.router());
                    r.setPhase(Phase.DEPLOYING);
                    r.setOwner(spec.owner());
                    r.setStartedAt(now().toString());
                    r.setPromotedAt(null);
                    r.setRollback(null);
                    r.setTargetWeights(null);
                    r.setWeights(before);
                    r.setStable(stableRevision);
                    r.setCandidate(new Revision(candidate, null, null, revision, replicas));
                });

        for (String line : preFlight) {
            s.save("preflight", line, r -> {});
        }
        Workload applied = workloads.apply(candidate, spec.source(), stable, replicas);
        s.save("phase", "applied " + applied.name() + " (" + applied.image() + ", " + applied.desired() + " replicas)",
                r -> r.setCandidate(Revision.of(applied)));
        return candidate;
    }

    /**
     * Records the end of a deploy in an open session: READY, or live on a first rollout; a candidate that is not
     * ready is scaled to zero and the deploy fails with the diagnosis.
     *
     * @param waited whether the caller waited for readiness in this session (else the readiness was checked outside it,
     *     and is checked again under the lock before anything is written)
     */
    private Outcome completeDeploy(Session s, Readiness checked, Duration readinessTimeout, boolean waited) {
        RolloutRecord current = s.record();
        RolloutTarget target = s.target;
        if (current == null || current.getPhase() != Phase.DEPLOYING) {
            throw new RolloutException(RolloutException.Kind.WRONG_PHASE, "the deploy of " + target + " ended meanwhile: "
                    + (current == null ? "no record" : "the rollout is " + current.getPhase()));
        }
        Workloads workloads = cluster.workloads(target);
        Color candidate = current.candidateColor();
        Color stable = current.stableColor();
        Readiness readiness = waited ? checked : workloads.awaitReady(candidate, Duration.ZERO);
        if (!readiness.ready()) {
            workloads.scale(candidate, 0);
            String why = candidate + " did not become ready within " + readinessTimeout.toSeconds() + " s ("
                    + readiness.readyReplicas() + " of " + readiness.desired() + " ready): " + readiness.diagnosis();
            Instant at = now();
            s.save("rollback", why + "; scaled it to zero, no traffic had moved", r -> {
                r.setPhase(Phase.ROLLED_BACK);
                r.setRollback(new Rollback(why, null, at.toString(), at.toString(), 0L));
            });
            throw new RolloutException(RolloutException.Kind.READINESS, why);
        }
        if (stable == null) {
            Weights written = cluster.router(target.namespace(), current.getRouter()).write(Weights.all(candidate));
            s.save("phase", "first rollout: " + candidate + " is live with all traffic; there is no earlier version to roll back to",
                    r -> {
                        r.setPhase(Phase.STABLE);
                        r.setStable(r.getCandidate());
                        r.setCandidate(null);
                        r.setWeights(written);
                    });
        } else {
            s.save("ready", candidate + " is ready (" + readiness.readyReplicas() + "/" + readiness.desired() + "), no traffic yet",
                    r -> r.setPhase(Phase.READY));
        }
        return new Outcome(s.record(), true, s.lastMessage());
    }

    /** Gives the candidate {@code percent} of the traffic (the stable colour the rest), if both can carry it. */
    public Outcome shift(RolloutTarget target, int percent, String owner) {
        Weights.of(Color.BLUE, percent); // range check before anything else
        try (Session s = open(target, Owners.check(owner), settings.lockWait())) {
            RolloutRecord r = requireRecord(s, target);
            requirePhase(r, "shift traffic", Phase.READY, Phase.SHIFTING, Phase.SHIFTED);
            return shiftWithin(s, r, percent);
        }
    }

    private Outcome shiftWithin(Session s, RolloutRecord r, int percent) {
        Weights wanted = Weights.of(r.candidateColor(), percent);
        TrafficRouter router = cluster.router(s.target.namespace(), r.getRouter());
        if (router.allOrNothing() && percent != 0 && percent != 100) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, describe(r.getRouter())
                    + " switches all traffic at once: shift to 0 or 100 %, not " + percent + " %");
        }
        if (r.getPhase() == Phase.SHIFTED && wanted.equals(r.getWeights()) && wanted.equals(router.read())) {
            return new Outcome(r, false, "traffic already at " + wanted);
        }
        guardCapacity(cluster.workloads(s.target), wanted);
        s.save("traffic", "shifting traffic to " + wanted, x -> {
            x.setPhase(Phase.SHIFTING);
            x.setTargetWeights(wanted);
        });
        Weights written = router.write(wanted);
        s.save("traffic", "traffic now " + written, x -> {
            x.setPhase(Phase.SHIFTED);
            x.setWeights(written);
            x.setTargetWeights(null);
        });
        return new Outcome(s.record(), true, s.lastMessage());
    }

    /** Makes the candidate the serving colour: all traffic to it; the old colour stays up for the bake time. */
    public Outcome promote(RolloutTarget target, String owner) {
        try (Session s = open(target, Owners.check(owner), settings.lockWait())) {
            RolloutRecord r = requireRecord(s, target);
            if (r.getPhase() == Phase.PROMOTED) {
                return new Outcome(r, false, r.candidateColor() + " is already promoted (at " + r.getPromotedAt() + ")");
            }
            requirePhase(r, "promote", Phase.READY, Phase.SHIFTING, Phase.SHIFTED);
            if (r.getPhase() != Phase.SHIFTED || r.getWeights() == null || r.getWeights().of(r.candidateColor()) != 100) {
                shiftWithin(s, r, 100);
            }
            String at = now().toString();
            s.save("phase", r.candidateColor() + " promoted: it serves all traffic; " + r.stableColor()
                    + " stays up until the bake time has passed", x -> {
                        x.setPhase(Phase.PROMOTED);
                        x.setPromotedAt(at);
                    });
            return new Outcome(s.record(), true, s.lastMessage());
        }
    }

    /**
     * Scales the old colour to zero once {@code bakeTime} has passed since promotion; refuses earlier, saying
     * how long is left. The promoted colour becomes the stable one.
     */
    public Outcome decommission(RolloutTarget target, Duration bakeTime, String owner) {
        Duration bake = bakeTime == null ? Duration.ZERO : bakeTime;
        if (bake.isNegative() || bake.compareTo(EngineSettings.MAX_BAKE_TIME) > 0) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the bake time must be from 0 to "
                    + EngineSettings.MAX_BAKE_TIME.toHours() + " h, got " + bake.toSeconds() + " s");
        }
        try (Session s = open(target, Owners.check(owner), settings.lockWait())) {
            RolloutRecord r = requireRecord(s, target);
            if (r.getPhase() == Phase.STABLE) {
                return new Outcome(r, false, "nothing to decommission: " + r.stableColor() + " alone serves " + target);
            }
            requirePhase(r, "decommission the old colour", Phase.PROMOTED);
            Instant promoted = Instant.parse(r.getPromotedAt());
            Instant due = promoted.plus(bake);
            Instant now = now();
            if (now.isBefore(due)) {
                throw new RolloutException(RolloutException.Kind.WRONG_PHASE, "the bake time of " + human(bake)
                        + " has not passed: " + human(Duration.between(now, due)) + " left (promoted at " + promoted
                        + "); " + r.stableColor() + " stays up until " + due);
            }
            Color retired = r.stableColor();
            Color serving = r.candidateColor();
            Weights live = cluster.router(target.namespace(), r.getRouter()).read();
            if (live.of(serving) != 100) {
                throw new RolloutException(RolloutException.Kind.TRAFFIC, "expected all traffic on the promoted colour "
                        + serving + ", but " + describe(r.getRouter()) + " holds " + live + "; not retiring " + retired);
            }
            cluster.workloads(target).retire(retired);
            s.save("phase", retired + " decommissioned after a bake time of " + human(bake) + "; " + serving + " is stable", x -> {
                x.setPhase(Phase.STABLE);
                x.setStable(x.getCandidate());
                x.setCandidate(null);
                x.setWeights(live);
            });
            return new Outcome(s.record(), true, s.lastMessage());
        }
    }

    /**
     * Returns all traffic to the stable colour, after making sure it can carry it, then scales the candidate to
     * zero, and records why and how long recovery took. Works from any phase and from any build: everything it
     * needs is in the record. A service with nothing in progress is left alone. A failure of the cluster is tried again
     * ({@link RollbackRetries}) before the error says that the traffic may still be on the candidate.
     *
     * @param detectedAt when the problem was first seen (e.g. the first failing sample), or null
     */
    public Outcome rollback(RolloutTarget target, String reason, Instant detectedAt, String owner) {
        return RollbackRetries.run(target, () -> {
            try (Session s = open(target, Owners.check(owner), settings.rollbackLockWait())) {
                return rollbackWithin(s, reason, detectedAt);
            }
        }, () -> status(target));
    }

    /** {@link #rollback} in a session that already holds the lock. */
    private Outcome rollbackWithin(Session s, String reason, Instant detectedAt) {
        String why = reason == null || reason.isBlank() ? "requested" : reason.trim();
        RolloutTarget target = s.target;
        RolloutRecord r = s.record();
        if (r == null) {
            return new Outcome(null, false, "nothing to roll back: " + target + " has no rollout record");
        }
        if (r.getPhase().isSettled()) {
            return new Outcome(r, false, "nothing to roll back: " + target + " is " + r.getPhase()
                    + (r.stableColor() == null ? "" : ", " + r.stableColor() + " serves all traffic"));
        }
        Workloads workloads = cluster.workloads(target);
        Color stable = r.stableColor();
        Color candidate = r.candidateColor();
        if (stable == null) {
            // The first rollout never went live: there is nothing to return to, only something to stop.
            workloads.scale(candidate, 0);
            s.save("rollback", "first rollout stopped (" + why + "); " + candidate + " scaled to zero, nothing was live",
                    x -> x.setPhase(Phase.ROLLED_BACK));
            return new Outcome(s.record(), true, s.lastMessage());
        }
        Workload stableWorkload = workloads.find(stable).orElseThrow(() -> new RolloutException(
                RolloutException.Kind.NOT_FOUND, "cannot roll back " + target + ": the stable colour " + stable
                        + " has no Deployment left (" + r.getStable().deployment() + "); traffic is unchanged"));
        Instant started = r.getRollback() != null && r.getPhase() == Phase.ROLLING_BACK
                ? Instant.parse(r.getRollback().startedAt()) : now();
        s.save("rollback", "rolling back to " + stable + ": " + why, x -> {
            x.setPhase(Phase.ROLLING_BACK);
            x.setRollback(new Rollback(why, detectedAt == null ? null : detectedAt.toString(), started.toString(), null, null));
        });

        int replicas = Math.max(r.getStable().replicas(), 1);
        if (stableWorkload.desired() < replicas) {
            workloads.scale(stable, replicas);
        }
        if (stableWorkload.desired() < replicas || stableWorkload.capacityPercent() < 100) {
            Readiness readiness = workloads.awaitReady(stable, settings.rollbackReadinessTimeout());
            if (!readiness.ready()) {
                String problem = "the stable colour " + stable + " cannot carry all traffic (" + readiness.readyReplicas()
                        + " of " + readiness.desired() + " ready: " + readiness.diagnosis() + "); traffic left as it was";
                s.save("rollback", problem, x -> {});
                throw new RolloutException(RolloutException.Kind.TRAFFIC, problem);
            }
        }
        Weights written = cluster.router(target.namespace(), r.getRouter()).write(Weights.all(stable));
        Instant completed = now();
        if (candidate != null) {
            workloads.scale(candidate, 0);
        }
        Instant from = detectedAt != null ? detectedAt : started;
        long recovery = Math.max(0, Duration.between(from, completed).toMillis());
        s.save("rollback", "rolled back: " + stable + " has all traffic again (" + recovery + " ms after "
                + (detectedAt != null ? "detection" : "the rollback began") + "); " + candidate + " scaled to zero", x -> {
                    x.setPhase(Phase.ROLLED_BACK);
                    x.setWeights(written);
                    x.setTargetWeights(null);
                    x.setRollback(new Rollback(why, detectedAt == null ? null : detectedAt.toString(), started.toString(),
                            completed.toString(), recovery));
                });
        return new Outcome(s.record(), true, s.lastMessage());
    }

    /**
     * Watches the gates for {@code window} after a shift, writing each evaluation to the record. A failing gate
     * ends the window at once and, when {@code rollbackOnFailure}, rolls back with the gate's values as the
     * reason and the first failing sample as the moment of detection, so that the recorded recovery time runs
     * from the start of the breach to the stable colour serving again. An inconclusive window never promotes:
     * the caller decides what follows. No lock is held while waiting.
     */
    public Verification verify(RolloutTarget target, Analysis analysis, Duration window, Sleeper sleeper, String owner,
            boolean rollbackOnFailure) throws InterruptedException {
        Duration length = checkWindow(window);
        Instant end = now().plus(length);
        java.util.List<String> evaluations = new java.util.ArrayList<>();
        while (true) {
            VerificationTick tick = verifyTick(target, analysis, length, end, owner, rollbackOnFailure);
            evaluations.addAll(tick.evaluations());
            if (tick.finished() != null) {
                Verification v = tick.finished();
                return new Verification(v.verdict(), evaluations, v.record(), v.message());
            }
            Instant next = analysis.nextDueAt(now()).orElse(end);
            if (!next.isAfter(now())) {
                next = now().plusMillis(100); // never spin on a gate that reports itself due
            }
            sleeper.sleepUntil(next.isAfter(end) ? end : next);
        }
    }

    /** Checks a verification window's length: positive, at most 24 h; null means 5 min. */
    public static Duration checkWindow(Duration window) {
        return Durations.check("verification window", window, Duration.ofMinutes(5), Duration.ofHours(24));
    }

    /**
     * One tick of a verification whose waits the caller schedules (a Jenkins step uses a timer, not a sleeping
     * thread): evaluates the gates that are due, records them, and finishes the verification (see
     * {@link #verify}) once a gate failed or {@code end} has come. The rollout must still be in a phase that can be
     * verified at every tick: one rolled back meanwhile by someone else ends the verification with an error.
     *
     * @param window the window's length, for messages
     * @return this tick's evaluations, and the verification when it finished
     */
    public VerificationTick verifyTick(RolloutTarget target, Analysis analysis, Duration window, Instant end, String owner,
            boolean rollbackOnFailure) throws InterruptedException {
        String who = Owners.check(owner);
        RecordStore store = cluster.records(target);
        RecordStore.Stored read = store.read().orElseThrow(() -> new RolloutException(RolloutException.Kind.WRONG_PHASE,
                target + " has no rollout: deploy a candidate first"));
        RolloutRecord current = read.record();
        if (current.getPhase() != Phase.SHIFTED && current.getPhase() != Phase.PROMOTED && current.getPhase() != Phase.READY) {
            throw new RolloutException(RolloutException.Kind.WRONG_PHASE, "cannot verify while the rollout of " + target
                    + " is " + current.getPhase() + (current.getRollback() == null ? "" : " (" + current.getRollback().reason() + ")"));
        }
        java.util.List<Evaluation> found = analysis.tick(now());
        java.util.List<String> lines = found.stream().map(Evaluation::text).collect(java.util.stream.Collectors.toList());
        java.util.List<Session.Note> notes = new java.util.ArrayList<>();
        found.forEach(ev -> notes.add(new Session.Note("gate", ev.text(), ev.point())));
        Verdict verdict = analysis.verdict();
        if (verdict == Verdict.FAIL && rollbackOnFailure) {
            // the failing evaluation and the rollback it triggers, under one lock
            try (Session s = open(target, who, settings.rollbackLockWait())) {
                if (!notes.isEmpty()) {
                    s.save(notes, r -> {});
                }
                Outcome rolledBack = rollbackWithin(s, "gate failed: " + analysis.failureSummary(),
                        analysis.firstFailureAt().orElse(null));
                return new VerificationTick(lines, new Verification(verdict, lines, rolledBack.record(), rolledBack.message()));
            }
        }
        boolean finished = verdict == Verdict.FAIL || !now().isBefore(end);
        String message = !finished ? null : verdict == Verdict.PASS
                ? "all gates passed over " + human(window)
                : verdict == Verdict.FAIL
                        ? "gate failed: " + analysis.failureSummary()
                        : Analysis.inconclusiveMessage(analysis, human(window));
        if (finished) {
            notes.add(new Session.Note("analysis", message, null));
        }
        // Recording what was measured changes nothing in the cluster: no lease, one write under the version just read.
        RolloutRecord after = notes.isEmpty() ? current : Session.append(store, read, target, clock, listener, notes);
        return new VerificationTick(lines, finished ? new Verification(verdict, lines, after, message) : null);
    }

    /** What one verification tick evaluated, and the verification once it has finished (else null). */
    public record VerificationTick(java.util.List<String> evaluations, Verification finished) {}

    // ----------------------------------------------------------------------------------------------------------

    /**
     * Without a record, the colour the router sends most traffic to (and whose Deployment exists) is taken as
     * stable, so that a lost record does not strand a service; with no colour Deployment at all, this is the
     * service's first rollout.
     */
    private Color adoptServingColor(Workloads workloads, TrafficRouter router) {
        boolean blue = workloads.find(Color.BLUE).isPresent();
        boolean green = workloads.find(Color.GREEN).isPresent();
        if (!blue && !green) {
            return null;
        }
        Weights live = router.read();
        Color serving = live.blue() >= live.green() ? Color.BLUE : Color.GREEN;
        if (!(serving == Color.BLUE ? blue : green)) {
            throw new RolloutException(RolloutException.Kind.NOT_FOUND, "there is no rollout record, and the colour the "
                    + "router favours (" + serving + ", " + live + ") has no Deployment");
        }
        return serving;
    }

    private Instant now() {
        return clock.instant();
    }

    private Session open(RolloutTarget target, String owner, Duration lockWait) {
        return Session.open(cluster, clock, listener, target, owner, lockWait);
    }
}
