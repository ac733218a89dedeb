package io.jenkins.plugins.bluegreen.engine;

import java.time.Duration;

/** The engine's checks that refuse an operation before it changes anything, and how it names things in messages. */
final class EngineRules {

    private EngineRules() {
    }

    static Workload requireStable(Workloads workloads, Color stable, RolloutTarget target) {
        return workloads.find(stable).orElseThrow(() -> new RolloutException(RolloutException.Kind.NOT_FOUND,
                "the stable colour " + stable + " of " + target + " has no Deployment (" + target.service() + "-" + stable
                        + "); not starting a rollout that could not be rolled back"));
    }

    /** No colour gets a larger share than its ready replicas can carry. */
    static void guardCapacity(Workloads workloads, Weights weights) {
        for (Color c : Color.values()) {
            int share = weights.of(c);
            if (share == 0) {
                continue;
            }
            Workload w = workloads.find(c).orElseThrow(() -> new RolloutException(RolloutException.Kind.NOT_FOUND,
                    "cannot give " + c + " " + share + " % of the traffic: it has no Deployment"));
            if (w.capacityPercent() < share) {
                throw new RolloutException(RolloutException.Kind.TRAFFIC, c + " has " + w.ready() + " of " + w.desired()
                        + " replicas ready and can carry at most " + w.capacityPercent() + " % of the traffic; refusing to give it "
                        + share + " %");
            }
        }
    }

    static RolloutRecord requireRecord(Session s, RolloutTarget target) {
        RolloutRecord r = s.record();
        if (r == null) {
            throw new RolloutException(RolloutException.Kind.WRONG_PHASE, target + " has no rollout: deploy a candidate first");
        }
        return r;
    }

    static void requirePhase(RolloutRecord r, String action, Phase... allowed) {
        for (Phase p : allowed) {
            if (r.getPhase() == p) {
                return;
            }
        }
        throw new RolloutException(RolloutException.Kind.WRONG_PHASE, "cannot " + action + " while the rollout of "
                + r.getNamespace() + "/" + r.getService() + " is " + r.getPhase() + " (allowed: " + java.util.Arrays.toString(allowed) + ")");
    }

    static String describe(RouterSpec spec) {
        switch (spec.kind()) {
            case ISTIO_VIRTUAL_SERVICE:
                return "the Istio VirtualService '" + spec.name() + "'";
            case GATEWAY_HTTP_ROUTE:
                return "the HTTPRoute '" + spec.name() + "'";
            default:
                return "the selector of Service '" + spec.name() + "'";
        }
    }

    static String describe(CandidateSource source) {
        if (source instanceof CandidateSource.NewImage newImage) {
            return newImage.image();
        }
        return source instanceof CandidateSource.PerColor ? "the rendered chart" : "the manifest";
    }

    static String shortRevision(String revision) {
        return revision == null ? "?" : revision.substring(0, Math.min(12, revision.length()));
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 2 * 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
    }
}
