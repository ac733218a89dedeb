package io.jenkins.plugins.bluegreen.steps;

import io.jenkins.plugins.bluegreen.engine.EngineLab;
import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * TEST CODE: what the step tests with live gates share: one mock API server per class, and per test a fresh
 * {@link StepTestSupport} (Jenkins, credentials, the cluster {@code lab} in a new namespace) whose blue and green
 * gate values are 0 and already scraped. Register it after {@link LiveGates}.
 */
final class StepLab implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final LiveGates gates;
    private final String token;
    private MockCluster mock;
    private StepTestSupport support;

    /** @param token the secret of the cluster's credentials, which tests look for where it must not be */
    StepLab(LiveGates gates, String token) {
        this.gates = gates;
        this.token = token;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        mock = MockCluster.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        support = new StepTestSupport(mock, token);
        EngineLab lab = support.lab;
        for (String colour : new String[] {"blue", "green"}) {
            gates.set(lab.namespace, EngineLab.SERVICE, colour, 0);
        }
        for (String colour : new String[] {"blue", "green"}) {
            gates.awaitScraped(lab.namespace, EngineLab.SERVICE, colour, 0);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        support.close();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        mock.close();
    }

    MockCluster mock() {
        return mock;
    }

    StepTestSupport support() {
        return support;
    }
}
