package io.jenkins.plugins.bluegreen.config;

import io.jenkins.plugins.bluegreen.kubernetes.CaCertificates;
import io.jenkins.plugins.bluegreen.kubernetes.ClusterConfigurationException;
import io.jenkins.plugins.bluegreen.kubernetes.KubernetesNames;
import io.jenkins.plugins.bluegreen.net.HttpUrl;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The rules for the global configuration, shared by the constructors and setters (which refuse bad values)
 * and by the form checks (which show them). Each rule returns null when the value is fine, else the
 * localized message.
 */
final class ConfigRules {

    /** Names are referred to from Jenkinsfiles, e.g. {@code cluster: 'prod-eu'}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    static final int MIN_TIMEOUT_SECONDS = 1;
    static final int MAX_TIMEOUT_SECONDS = 300;

    private ConfigRules() {}

    static String name(String name) {
        if (name == null || name.isBlank()) {
            return Messages.ConfigRules_NameRequired();
        }
        if (!NAME.matcher(name.trim()).matches()) {
            return Messages.ConfigRules_NameInvalid(name.trim());
        }
        return null;
    }

    static String url(String url) {
        try {
            HttpUrl.parse(url);
            return null;
        } catch (HttpUrl.InvalidUrlException e) {
            return urlProblem(e.problem());
        }
    }

    static String urlProblem(HttpUrl.Problem problem) {
        switch (problem) {
            case MISSING:
                return Messages.ConfigRules_UrlRequired();
            case SCHEME:
                return Messages.ConfigRules_UrlScheme();
            case NO_HOST:
                return Messages.ConfigRules_UrlNoHost();
            case USER_INFO:
                return Messages.ConfigRules_UrlUserInfo();
            case QUERY_OR_FRAGMENT:
                return Messages.ConfigRules_UrlQuery();
            case MALFORMED:
            default:
                return Messages.ConfigRules_UrlMalformed();
        }
    }

    static String namespace(String namespace) {
        if (namespace == null || namespace.isBlank()) {
            return null;
        }
        return KubernetesNames.isNamespace(namespace.trim()) ? null : Messages.ConfigRules_NamespaceInvalid(namespace.trim());
    }

    static String caCertificate(String pem) {
        if (pem == null || pem.isBlank()) {
            return null;
        }
        try {
            CaCertificates.count(pem);
            return null;
        } catch (ClusterConfigurationException e) {
            return Messages.ConfigRules_CaCertificateInvalid();
        }
    }

    static String timeoutSeconds(int seconds) {
        if (seconds < MIN_TIMEOUT_SECONDS || seconds > MAX_TIMEOUT_SECONDS) {
            return Messages.ConfigRules_TimeoutRange(MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS);
        }
        return null;
    }

    /**
     * A copy of {@code entries}, refused when two share a name (compared without case).
     *
     * @param duplicate the message for the first name used twice
     */
    static <T> List<T> uniquelyNamed(List<T> entries, Function<T, String> name, String field, Function<Object, String> duplicate) {
        List<T> copy = entries == null ? new ArrayList<>() : new ArrayList<>(entries);
        Set<String> seen = new HashSet<>();
        for (T e : copy) {
            String n = name.apply(e);
            if (n != null && !seen.add(n.toLowerCase(Locale.ROOT))) {
                throw new InvalidConfigurationException(field, duplicate.apply(n));
            }
        }
        return copy;
    }

    /** Applies a rule to a value bound from the form or from Configuration-as-Code. */
    static void require(String field, String problem) {
        if (problem != null) {
            throw new InvalidConfigurationException(field, problem);
        }
    }

    static URI parsedUrl(String field, String url) {
        require(field, url(url));
        return HttpUrl.parse(url);
    }

    static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
