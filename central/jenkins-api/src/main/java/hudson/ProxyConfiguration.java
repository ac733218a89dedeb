// Compile-only declaration of hudson.ProxyConfiguration (Jenkins core 2.541.x); the real one is also Describable.
// Behaviour: the HTTP client factories return plain JDK builders (no Jenkins proxy here). Not packaged; see central/jenkins-api/signatures.txt.
package hudson;

import hudson.model.Saveable;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;

public final class ProxyConfiguration implements Saveable, Serializable {
    private static final long serialVersionUID = 1L;

    public final String name;
    public final int port;

    private ProxyConfiguration() {
        this.name = null;
        this.port = 0;
    }

    public static HttpClient newHttpClient() {
        return newHttpClientBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public static HttpClient.Builder newHttpClientBuilder() {
        return HttpClient.newBuilder();
    }

    public static HttpRequest.Builder newHttpRequestBuilder(URI uri) {
        return HttpRequest.newBuilder(uri);
    }

    @Override
    public void save() throws IOException {
        throw new UnsupportedOperationException("declaration only");
    }
}
