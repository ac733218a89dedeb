package io.jenkins.plugins.bluegreen.engine;

import java.util.List;

/**
 * The outcome of watching the gates over a verification window.
 *
 * @param verdict PASS (promotion may follow), FAIL (rolled back, when asked to), or INCONCLUSIVE (no promotion)
 * @param evaluations every gate evaluation of the window, in order
 * @param record the rollout record afterwards
 * @param message one sentence for the build log
 */
public record Verification(Verdict verdict, List<String> evaluations, RolloutRecord record, String message) {

    public Verification {
        evaluations = List.copyOf(evaluations);
    }
}
