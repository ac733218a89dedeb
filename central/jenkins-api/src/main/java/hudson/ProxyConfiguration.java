// Compile-only declaration of hudson.ProxyConfiguration (Jenkins core 2.541.x); the real one is also Describable.
// Behaviour: the HTTP client factories return JDK builders with Jenkins' proxy (Jenkins.getProxy()), if any, as the real
// ones do (without no-proxy hosts, proxy authentication and the shared executor). Not packaged; see
// central/jenkins-api/signatures.txt.
package hudson;

import hudson.model.Saveable;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import jenkins.model.Jenkins;

public final class ProxyConfiguration implements Saveable, Serializable {
    private static final long serialVersionUID = 1L;

    public final String name;
    public final int port;

    public ProxyConfiguration(String name, int port) {
        this.name = name == null || name.isBlank() ? null : name.trim();
        this.port = port;
    }

    public static HttpClient newHttpClient() {
        return newHttpClientBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public static HttpClient.Builder newHttpClientBuilder() {
        HttpClient.Builder builder = HttpClient.newBuilder();
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        ProxyConfiguration proxy = jenkins == null ? null : jenkins.getProxy();
        if (proxy != null && proxy.name != null) {
            builder.proxy(ProxySelector.of(new InetSocketAddress(proxy.name, proxy.port)));
        }
        return builder;
    }

    public static HttpRequest.Builder newHttpRequestBuilder(URI uri) {
        return HttpRequest.newBuilder(uri);
    }

    @Override
    public void save() throws IOException {
        throw new UnsupportedOperationException("declaration only");
    }
}
