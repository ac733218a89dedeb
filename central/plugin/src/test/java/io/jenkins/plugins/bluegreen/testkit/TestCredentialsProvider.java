package io.jenkins.plugins.bluegreen.testkit;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.model.ItemGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.security.core.Authentication;

/** A credentials store for tests; it counts lookups so tests can prove that none happened. */
public final class TestCredentialsProvider extends CredentialsProvider {

    private final List<Credentials> credentials = new CopyOnWriteArrayList<>();
    private final AtomicInteger lookups = new AtomicInteger();

    public TestCredentialsProvider add(Credentials c) {
        credentials.add(c);
        return this;
    }

    public int lookups() {
        return lookups.get();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public <C extends Credentials> List<C> getCredentialsInItemGroup(
            Class<C> type, ItemGroup itemGroup, Authentication authentication, List<DomainRequirement> domainRequirements) {
        lookups.incrementAndGet();
        List<C> result = new ArrayList<>();
        for (Credentials c : credentials) {
            if (type.isInstance(c)) {
                result.add(type.cast(c));
            }
        }
        return result;
    }
}
