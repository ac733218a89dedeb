package io.jenkins.plugins.bluegreen.engine;

import io.jenkins.plugins.bluegreen.kubernetes.MockCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** TEST CODE: one mock API server per test class; each lab gets a namespace of its own and is closed after its test. */
abstract class LabTest {

    static MockCluster mock;
    private final List<EngineLab> labs = new ArrayList<>();

    @BeforeAll
    static void startMock() {
        mock = MockCluster.start();
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    @AfterEach
    void closeLabs() {
        labs.forEach(EngineLab::close);
        labs.clear();
    }

    EngineLab lab(RouterSpec.Kind kind) {
        EngineLab lab = new EngineLab(mock, kind);
        labs.add(lab);
        return lab;
    }
}
