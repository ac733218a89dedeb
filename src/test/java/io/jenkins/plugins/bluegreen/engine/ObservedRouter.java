package io.jenkins.plugins.bluegreen.engine;

import java.util.function.Consumer;

/** TEST CODE: a {@link TrafficRouter} that tells a test about every weight it wrote (and read back). */
public final class ObservedRouter implements TrafficRouter {

    private final TrafficRouter delegate;
    private final Consumer<Weights> written;

    public ObservedRouter(TrafficRouter delegate, Consumer<Weights> written) {
        this.delegate = delegate;
        this.written = written;
    }

    @Override
    public RouterSpec spec() {
        return delegate.spec();
    }

    @Override
    public void verify() {
        delegate.verify();
    }

    @Override
    public Weights read() {
        return delegate.read();
    }

    @Override
    public Weights write(Weights weights) {
        Weights readBack = delegate.write(weights);
        written.accept(readBack);
        return readBack;
    }
}
