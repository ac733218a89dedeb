package io.jenkins.plugins.bluegreen.config;

import hudson.ProxyConfiguration;
import io.jenkins.plugins.bluegreen.net.HttpTransport;
import jenkins.model.Jenkins;

/**
 * The plugin's one HTTP client, for every Prometheus, Alertmanager and webhook request of every step and of the
 * configuration forms' connection checks ({@link HttpTransport}). It is built as Jenkins builds HTTP clients
 * ({@link ProxyConfiguration#newHttpClientBuilder()}) and built again on the first request after the proxy
 * configuration changed: Jenkins replaces its {@code ProxyConfiguration} object whenever the proxy is saved, removed or
 * set through configuration as code, and the transport compares that object by identity. The steps' shutdown hook
 * closes it ({@code PluginClients}); the next use after that makes a new one.
 */
public final class SharedHttp {

    private static HttpTransport transport;

    private SharedHttp() {}

    /** The transport, made on first use. */
    public static synchronized HttpTransport transport() {
        if (transport == null) {
            transport = new HttpTransport(SharedHttp::proxy, ProxyConfiguration::newHttpClientBuilder);
        }
        return transport;
    }

    /** Closes the transport (Jenkins shuts down): its client is dropped and clients that kept it fail from now on. */
    public static synchronized void close() {
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }

    /** What the client is built for: Jenkins' proxy configuration, or null for none. */
    private static Object proxy() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        return jenkins == null ? null : jenkins.getProxy();
    }
}
