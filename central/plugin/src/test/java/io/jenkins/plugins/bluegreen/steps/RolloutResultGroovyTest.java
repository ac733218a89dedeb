package io.jenkins.plugins.bluegreen.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import groovy.lang.GString;
import io.jenkins.plugins.bluegreen.engine.Phase;
import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import io.jenkins.plugins.bluegreen.report.RolloutFixtures;
import io.jenkins.plugins.bluegreen.testkit.TestJenkins;
import io.jenkins.plugins.bluegreen.testkit.TestJob;
import org.codehaus.groovy.reflection.ReflectionCache;
import org.codehaus.groovy.runtime.GStringImpl;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.runtime.ScriptBytecodeAdapter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a Pipeline does with a step's result once the sandbox let the call through, run on the Groovy Jenkins ships
 * (2.4.21). In a CPS-transformed Pipeline (workflow-cps 4370): {@code a == b} is the static call
 * {@code ScriptBytecodeAdapter.compareEqual(a, b)} (groovy-cps Builder.compareEqual), which the generic whitelist permits
 * and which then compares in Java; {@code "${x}"} is {@code new GStringImpl(values, strings)} (Builder.gstring,
 * permitted by CpsWhitelist), whose values Groovy turns into text in Java; {@code switch} calls
 * {@code ScriptBytecodeAdapter.isCase} directly (groovy-cps SwitchBlock); {@code env.X = v} stores
 * {@code String.valueOf(v)} (EnvActionImpl.setProperty). None of those calls our toString() through the sandbox.
 */
class RolloutResultGroovyTest {

    private static RolloutResult ready;
    private static RolloutResult rolledBack;

    @BeforeAll
    static void results() throws Exception {
        TestJenkins jenkins = TestJenkins.install();
        TestJob job = new TestJob(jenkins, "shop-deploy");
        RolloutTarget target = new RolloutTarget("shop", "checkout");
        RolloutRecord record = RolloutFixtures.started(); // READY: green deployed, no traffic
        ready = RolloutResult.of(job.newBuild(), target, record, true);
        RolloutRecord back = RolloutFixtures.rolledBack();
        rolledBack = RolloutResult.of(job.newBuild(), target, back, Phase.ROLLED_BACK.name(), back.getRollback().reason(), true);
    }

    private static GString gstring(String before, Object value, String after) {
        return new GStringImpl(new Object[] {value}, new String[] {before, after});
    }

    @Test
    void existingJenkinsfilesKeepTheirMeaning() throws Throwable {
        assertEquals("READY", ready.getPhase());
        // env.DEPLOY_PHASE = blueGreenDeploy(...), then when { environment name: 'DEPLOY_PHASE', value: 'READY' }
        assertEquals("READY", String.valueOf(ready));
        // echo "phase: ${result}"
        assertEquals("phase: READY", gstring("phase: ", ready, "").toString());
        // "${result}" == 'READY'
        assertTrue(ScriptBytecodeAdapter.compareEqual(gstring("", ready, ""), "READY"));
        // String phase = blueGreenDeploy(...)
        assertEquals("READY", ScriptBytecodeAdapter.castToType(ready, String.class));
        assertEquals("READY", ScriptBytecodeAdapter.asType(ready, String.class)); // the sandbox's coercing cast
        // switch (result) { case 'ROLLED_BACK': ... }
        assertTrue(ScriptBytecodeAdapter.isCase(rolledBack, "ROLLED_BACK"));
        assertFalse(ScriptBytecodeAdapter.isCase(ready, "ROLLED_BACK"));
    }

    /** The one comparison that changes: {@code result == 'READY'}, in either order. {@code result.phase} replaces it. */
    @Test
    void equalityWithAStringNeedsThePhase() {
        assertFalse(ScriptBytecodeAdapter.compareEqual(ready, "READY"));
        assertFalse(ScriptBytecodeAdapter.compareEqual("READY", ready));
        assertTrue(ScriptBytecodeAdapter.compareNotEqual(ready, "READY"));
        assertTrue(ScriptBytecodeAdapter.compareEqual(InvokerHelper.getProperty(ready, "phase"), "READY"));
        assertTrue(ScriptBytecodeAdapter.compareEqual("READY", InvokerHelper.getProperty(ready, "phase")));
    }

    /** Groovy resolves {@code result.gate} to the getter the sandbox checked. */
    @Test
    void propertiesResolveToTheGetters() {
        RolloutResultTest.properties(rolledBack).forEach((name, value) -> assertEquals(value, InvokerHelper.getProperty(rolledBack, name),
                name));
        assertEquals("errorRate", InvokerHelper.getProperty(rolledBack, "gate"));
        assertEquals(12840L, InvokerHelper.getProperty(rolledBack, "timeToRevertMillis"));
        // mail body: "... ${result.value} (fails when ${result.comparison} ${result.threshold})"
        assertEquals("0.061 (fails when > 0.01)", new GStringImpl(new Object[] {rolledBack.getValue(), rolledBack.getComparison(),
                rolledBack.getThreshold()}, new String[] {"", " (fails when ", " ", ")"}).toString());
    }

    /**
     * A step's String argument is bound by structs' DescribableModel.coerce, which first lets Groovy coerce the value
     * to the parameter's class and turns only a GString into a String; anything else fails with "expects class
     * java.lang.String but received class ...RolloutResult". So {@code echo result} or {@code input message: result}
     * fail, and the docs say {@code "${result}"} or {@code result.phase}.
     */
    @Test
    void aStepArgumentTakesTheResultOnlyAsText() {
        assertSame(ready, ReflectionCache.getCachedClass(String.class).coerceArgument(ready), "not made a String");
        assertEquals("READY", ReflectionCache.getCachedClass(String.class).coerceArgument(gstring("", ready, "")));
    }
}
