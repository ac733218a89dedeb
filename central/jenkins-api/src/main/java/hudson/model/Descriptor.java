// Compile-only declaration of hudson.model.Descriptor (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: clazz, display name and id as in the real class; save() and load() do nothing here.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.security.Permission;
import jakarta.servlet.ServletException;
import java.io.IOException;
import jenkins.model.Jenkins;
import jenkins.model.Loadable;
import jenkins.util.io.OnMaster;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

public abstract class Descriptor<T extends Describable<T>> implements Loadable, Saveable, OnMaster {
    public final transient Class<? extends T> clazz;

    @SuppressWarnings({"unchecked", "rawtypes"})
    protected Descriptor(Class<? extends T> clazz) {
        if (clazz == self()) {
            clazz = (Class<? extends T>) (Class) getClass();
        }
        this.clazz = clazz;
    }

    @SuppressWarnings("unchecked")
    protected Descriptor() {
        this.clazz = (Class<T>) getClass().getEnclosingClass();
        if (clazz == null) {
            throw new AssertionError(getClass() + " doesn't have an outer class. Use the constructor that takes the Class object explicitly.");
        }
    }

    @NonNull
    public String getDisplayName() {
        return clazz.getSimpleName();
    }

    public String getId() {
        return clazz.getName();
    }

    public T newInstance(@Nullable StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
        throw new UnsupportedOperationException("declaration only");
    }

    public static <T> T bindJSON(StaplerRequest2 req, Class<T> type, JSONObject src) {
        throw new UnsupportedOperationException("declaration only");
    }

    public String getHelpFile(final String fieldName) {
        throw new UnsupportedOperationException("declaration only");
    }

    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        return true;
    }

    public @NonNull Permission getRequiredGlobalConfigPagePermission() {
        return Jenkins.ADMINISTER;
    }

    @Override
    public synchronized void save() {}

    @Override
    public synchronized void load() {}

    @SuppressWarnings("rawtypes")
    protected static Class self() {
        return Self.class;
    }

    public static final class Self {}

    public static final class FormException extends Exception implements HttpResponse {
        private static final long serialVersionUID = 1L;
        private final String formField;

        public FormException(String message, String formField) {
            super(message);
            this.formField = formField;
        }

        public FormException(String message, Throwable cause, String formField) {
            super(message, cause);
            this.formField = formField;
        }

        public FormException(Throwable cause, String formField) {
            super(cause);
            this.formField = formField;
        }

        public String getFormField() {
            return formField;
        }

        @Override
        public void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node) throws IOException, ServletException {
            throw new UnsupportedOperationException("declaration only");
        }
    }
}
