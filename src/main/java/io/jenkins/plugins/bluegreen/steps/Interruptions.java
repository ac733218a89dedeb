package io.jenkins.plugins.bluegreen.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;

/** Says why a step was stopped in words for the rollout record and the log, e.g. "the build was aborted by admin". */
final class Interruptions {

    private Interruptions() {}

    /** The reason a rollback records for a step stopped with {@code cause}: no exception class names. */
    static String describe(Throwable cause) {
        if (cause instanceof FlowInterruptedException) {
            FlowInterruptedException f = (FlowInterruptedException) cause;
            List<String> why = new ArrayList<>();
            for (CauseOfInterruption c : f.getCauses()) {
                String d = c.getShortDescription();
                if (d != null && !d.isBlank()) {
                    why.add(decapitalize(d.strip()));
                }
            }
            return why.isEmpty()
                    ? Messages.Interruptions_Interrupted(String.valueOf(f.getResult()).toLowerCase(Locale.ROOT))
                    : Messages.Interruptions_Because(String.join("; ", why));
        }
        String m = cause.getMessage();
        return Messages.Interruptions_Stopped(m == null || m.isBlank() ? cause.getClass().getSimpleName() : m.strip());
    }

    private static String decapitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
