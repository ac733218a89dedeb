package io.jenkins.plugins.bluegreen.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.config.KubernetesCluster;
import io.jenkins.plugins.bluegreen.engine.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The class filter rule on the JDK types a saved field might hold, and on classes outside any jar. */
class ClassFilterRuleTest {

    @Test
    void listsFromArrayListAndUnmodifiableViewsPassButListOfDoesNot() {
        assertEquals(Optional.empty(), ClassFilterRule.rejection(ArrayList.class));
        assertEquals(Optional.empty(), ClassFilterRule.rejection(Collections.unmodifiableList(new ArrayList<>()).getClass()));
        assertEquals(Optional.empty(), ClassFilterRule.rejection(String.class));
        assertTrue(ClassFilterRule.rejection(List.of("a", "b").getClass()).orElseThrow().endsWith("in JRE might be dangerous, so rejecting"));
        assertTrue(ClassFilterRule.rejection(List.of().getClass()).isPresent());
        assertTrue(ClassFilterRule.rejection(Instant.class).isPresent(), "java.time values are not on Jenkins' list");
    }

    @Test
    void enumsArraysAndThrowablesAlwaysPass() {
        assertEquals(Optional.empty(), ClassFilterRule.rejection(Phase.class));
        assertEquals(Optional.empty(), ClassFilterRule.rejection(Instant[].class));
        assertEquals(Optional.empty(), ClassFilterRule.rejection(IllegalStateException.class));
    }

    /** Why tests on the build's output cannot see the defect: Jenkins trusts a plugin's target/classes/ as such. */
    @Test
    void theBuildsOwnClassesDirectoryIsTrusted() {
        String location = ClassFilterRule.location(KubernetesCluster.class);
        assertTrue(location.endsWith("/target/classes/"), location);
        assertEquals(Optional.empty(), ClassFilterRule.rejection(KubernetesCluster.class));
    }
}
