package io.jenkins.plugins.bluegreen.steps;

import hudson.model.Run;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * TEST CODE: the Central build's step context ({@link StepTestSupport.TestContext}: the build, its log, River saves of
 * the execution) for code outside this package, i.e. the benchmark that drives the steps themselves, and the plugin's
 * shared Kubernetes clients as far as such code must see them.
 */
public final class StepRuns {

    private StepRuns() {
    }

    /** One step started as the Pipeline starts it, in a context of its own on {@code run}. */
    public static final class Launched {
        private final StepTestSupport.TestContext context;

        private Launched(StepTestSupport.TestContext context) {
            this.context = context;
        }

        /** Completes with the step's value, or exceptionally with its failure. */
        public CompletableFuture<Object> result() {
            return context.live().result;
        }

        /** The build log the step wrote. */
        public String log() {
            return context.live().log();
        }

        /** How often the Pipeline saved the execution (River). */
        public int saves() {
            return context.live().saves.get();
        }

        public StepExecution execution() {
            return context.live().execution;
        }

        /** Aborts the step, as aborting the build does. */
        public void stop(Throwable cause) throws Exception {
            execution().stop(cause);
        }

        /**
         * A controller restart mid-step: the execution stops working, as a dead controller does, and is read back from the
         * program as last saved (River) and resumed.
         */
        public void restart() throws Exception {
            ((ClusterStepExecution) execution()).halt();
            context.restart();
        }
    }

    public static Launched launch(Step step, Run<?, ?> run) throws Exception {
        StepTestSupport.TestContext context = new StepTestSupport.TestContext(run);
        context.launch(step);
        return new Launched(context);
    }

    /** How many Kubernetes clients the steps hold open now. */
    public static int openKubernetesClients() {
        return PluginClients.open();
    }

    /** Closes the open clients and keeps the next ones {@code idle} after their last use (null: the plugin's minute). */
    public static void kubernetesClientIdle(Duration idle) {
        PluginClients.idleTime(idle);
    }
}
