// Compile-only declaration of hudson.util.FormValidation (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: kind and message as in the real class; renderHtml() escapes the message.
package hudson.util;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.Collection;
import org.kohsuke.stapler.HttpResponse;

public abstract class FormValidation extends java.io.IOException implements HttpResponse {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        OK,
        WARNING,
        ERROR
    }

    public final Kind kind;

    private FormValidation(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static FormValidation error(String message) {
        return of(Kind.ERROR, message);
    }

    public static FormValidation warning(String message) {
        return of(Kind.WARNING, message);
    }

    public static FormValidation ok(String message) {
        return of(Kind.OK, message);
    }

    public static FormValidation ok() {
        return of(Kind.OK, null);
    }

    public static FormValidation error(String format, Object... args) {
        return error(String.format(format, args));
    }

    public static FormValidation warning(String format, Object... args) {
        return warning(String.format(format, args));
    }

    public static FormValidation ok(String format, Object... args) {
        return ok(String.format(format, args));
    }

    public static FormValidation error(Throwable e, String message) {
        return error(message);
    }

    public static @NonNull FormValidation aggregate(@NonNull Collection<FormValidation> validations) {
        FormValidation worst = ok();
        for (FormValidation v : validations) {
            if (v.kind.ordinal() > worst.kind.ordinal()) {
                worst = v;
            }
        }
        return worst;
    }

    public static FormValidation validateRequired(String value) {
        return value == null || value.trim().isEmpty() ? error("This field is required.") : ok();
    }

    public static FormValidation validatePositiveInteger(String value) {
        try {
            return Integer.parseInt(value) > 0 ? ok() : error("Not a positive number");
        } catch (NumberFormatException e) {
            return error("Not a number");
        }
    }

    public static FormValidation validateIntegerInRange(String value, int lower, int upper) {
        try {
            int n = Integer.parseInt(value);
            return n >= lower && n <= upper ? ok() : error("The value must be between " + lower + " and " + upper);
        } catch (NumberFormatException e) {
            return error("Not a number");
        }
    }

    public abstract String renderHtml();

    private static FormValidation of(Kind kind, String message) {
        return new FormValidation(kind, message) {
            private static final long serialVersionUID = 1L;

            @Override
            public String renderHtml() {
                String m = getMessage();
                return m == null ? "<div/>" : "<div>" + m.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;") + "</div>";
            }
        };
    }
}
