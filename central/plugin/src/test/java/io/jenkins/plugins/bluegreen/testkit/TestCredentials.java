package io.jenkins.plugins.bluegreen.testkit;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsDescriptor;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Run;
import hudson.util.Secret;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Test implementations of the credential types the plugin accepts. */
public final class TestCredentials {

    private TestCredentials() {}

    private abstract static class Base implements StandardCredentials {
        private static final long serialVersionUID = 1L;
        private final String id;
        private final CredentialsScope scope;

        Base(String id) {
            this(id, CredentialsScope.GLOBAL);
        }

        Base(String id, CredentialsScope scope) {
            this.id = id;
            this.scope = scope;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public String getDescription() {
            return "test " + id;
        }

        @Override
        public CredentialsScope getScope() {
            return scope;
        }

        @Override
        public CredentialsDescriptor getDescriptor() {
            return new TestDescriptor(getClass());
        }
    }

    /** Credentials must name their descriptor; the plugin never uses it. */
    private static final class TestDescriptor extends CredentialsDescriptor {
        TestDescriptor(Class<? extends Credentials> clazz) {
            super(clazz);
        }
    }

    public static StringCredentials secretText(String id, String secret) {
        return new StringCred(id, secret, CredentialsScope.GLOBAL);
    }

    /** Secret text in SYSTEM scope: for Jenkins itself, never for builds. */
    public static StringCredentials systemSecretText(String id, String secret) {
        return new StringCred(id, secret, CredentialsScope.SYSTEM);
    }

    /**
     * Secret text that records every run it is contextualized for: {@code CredentialsProvider.findCredentialById}
     * with a run calls {@link Credentials#forRun}, which credential types may override.
     */
    public static StringCredentials secretTextRecordingRuns(String id, String secret, List<Run<?, ?>> runs) {
        return new RunRecordingStringCred(id, secret, runs);
    }

    public static FileCredentials secretFile(String id, String content) {
        return new FileCred(id, content);
    }

    public static StandardUsernamePasswordCredentials usernamePassword(String id, String user, String password) {
        return new UserPass(id, user, password);
    }

    private static final class RunRecordingStringCred extends Base implements StringCredentials {
        private static final long serialVersionUID = 1L;
        private final Secret secret;
        private final transient List<Run<?, ?>> runs;

        RunRecordingStringCred(String id, String secret, List<Run<?, ?>> runs) {
            super(id);
            this.secret = Secret.fromString(secret);
            this.runs = runs;
        }

        @Override
        public Secret getSecret() {
            return secret;
        }

        @Override
        public Credentials forRun(Run<?, ?> context) {
            runs.add(context);
            return this;
        }
    }

    private static final class StringCred extends Base implements StringCredentials {
        private static final long serialVersionUID = 1L;
        private final Secret secret;

        StringCred(String id, String secret, CredentialsScope scope) {
            super(id, scope);
            this.secret = Secret.fromString(secret);
        }

        @Override
        public Secret getSecret() {
            return secret;
        }
    }

    private static final class FileCred extends Base implements FileCredentials {
        private static final long serialVersionUID = 1L;
        private final byte[] content;

        FileCred(String id, String content) {
            super(id);
            this.content = content.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String getFileName() {
            return "../../../etc/kubeconfig";
        }

        @Override
        public InputStream getContent() {
            return new ByteArrayInputStream(content);
        }
    }

    private static final class UserPass extends Base implements StandardUsernamePasswordCredentials {
        private static final long serialVersionUID = 1L;
        private final String user;
        private final Secret password;

        UserPass(String id, String user, String password) {
            super(id);
            this.user = user;
            this.password = Secret.fromString(password);
        }

        @Override
        public String getUsername() {
            return user;
        }

        @Override
        public Secret getPassword() {
            return password;
        }
    }
}
