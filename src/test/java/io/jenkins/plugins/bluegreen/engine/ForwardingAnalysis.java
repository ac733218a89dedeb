package io.jenkins.plugins.bluegreen.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * TEST CODE: an {@link Analysis} that passes everything to another and lets a test act after each tick (inject a
 * fault, stop Prometheus, note when the verdict turned) without copying the other four methods.
 */
public abstract class ForwardingAnalysis implements Analysis {

    protected final Analysis delegate;

    protected ForwardingAnalysis(Analysis delegate) {
        this.delegate = delegate;
    }

    /** Called with what each tick found, before it is returned to the engine. */
    protected abstract void afterTick(List<Evaluation> found, Instant now);

    @Override
    public final List<Evaluation> tick(Instant now) throws InterruptedException {
        List<Evaluation> found = delegate.tick(now);
        afterTick(found, now);
        return found;
    }

    @Override
    public Verdict verdict() {
        return delegate.verdict();
    }

    @Override
    public Optional<Instant> firstFailureAt() {
        return delegate.firstFailureAt();
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        return delegate.nextDueAt(now);
    }

    @Override
    public String failureSummary() {
        return delegate.failureSummary();
    }
}
