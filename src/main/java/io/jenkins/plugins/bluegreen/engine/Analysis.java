package io.jenkins.plugins.bluegreen.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Metric gates watched over a verification window, evaluated in ticks so that the caller decides how to wait (a
 * Jenkins step schedules the next tick on a timer instead of blocking). The Prometheus implementation lives in
 * the {@code metrics} package.
 */
public interface Analysis {

    /**
     * Evaluates the gates that are due at {@code now}.
     *
     * @return one evaluation per gate that was due: a line (gate, value, threshold, verdict, reason) for the record and
     *     the log, and the same as data
     */
    List<Evaluation> tick(Instant now) throws InterruptedException;

    /** FAIL once any gate failed; INCONCLUSIVE while any gate cannot be measured or none was yet; else PASS. */
    Verdict verdict();

    /** When the failing condition began (the first failing sample), for time-to-revert. */
    Optional<Instant> firstFailureAt();

    /** When the next gate is due. */
    Optional<Instant> nextDueAt(Instant now);

    /** For a failed analysis: which gate failed, with its value and threshold. */
    String failureSummary();

    /** For an inconclusive analysis: why, gate by gate; empty when there is nothing to add. */
    default String inconclusiveSummary() {
        return "";
    }

    /** What the record says of an analysis that ended inconclusive over {@code window}: missing data never promotes. */
    static String inconclusiveMessage(Analysis analysis, String window) {
        String why = analysis.inconclusiveSummary();
        return "the analysis was inconclusive over " + window + (why.isEmpty() ? "" : " (" + why + ")") + "; not promoting";
    }
}
