package io.jenkins.plugins.bluegreen.config;

/**
 * A configuration value that breaks a rule. It names the form field so that the global configuration page can
 * show the message next to it; Configuration-as-Code reports the message as it is.
 */
public class InvalidConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidConfigurationException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String getField() {
        return field;
    }

    /** The first {@code InvalidConfigurationException} in a cause chain, as data binding wraps setter failures. */
    static InvalidConfigurationException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InvalidConfigurationException) {
                return (InvalidConfigurationException) c;
            }
        }
        return null;
    }
}
