package io.jenkins.plugins.bluegreen.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TEST CODE: small Helm charts written into a folder, and the repository's example chart. {@link #checkout} is a
 * Deployment and a Service, which a manifest may hold today; the others each show one rendering rule.
 */
public final class TestCharts {

    private TestCharts() {}

    /** The repository (the folder with examples/ and src/main/java), from the build's working directory up. */
    public static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples")) && Files.isDirectory(p.resolve("src/main/java"))) {
                return p;
            }
        }
        throw new IllegalStateException("no examples/ above " + Path.of("").toAbsolutePath());
    }

    /** examples/helm-istio: its chart/ and values-prod.yaml. */
    public static Path helmIstioExample() {
        return repository().resolve("examples/helm-istio");
    }

    /** Writes {@code text} to {@code dir/name}, creating folders. */
    public static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path chart(Path dir, String name) {
        write(dir, "Chart.yaml", "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n");
        return dir;
    }

    /**
     * {@code checkout}: a Deployment (image tag required, colour in the labels and an env variable) and its Service,
     * the colour from {@code environment}.
     */
    public static Path checkout(Path dir) {
        chart(dir, "checkout");
        write(dir, "values.yaml", "environment: blue\nreplicaCount: 3\nimage:\n  repository: registry.example.com/shop/checkout\n"
                + "  tag: \"\"\n");
        write(dir, "templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ .Release.Name }}
                  labels: {app: checkout, environment: {{ .Values.environment | quote }}}
                spec:
                  replicas: {{ .Values.replicaCount }}
                  selector:
                    matchLabels: {app: checkout}
                  template:
                    metadata:
                      labels: {app: checkout, environment: {{ .Values.environment | quote }}}
                    spec:
                      containers:
                        - name: app
                          image: "{{ .Values.image.repository }}:{{ required "image.tag is required" .Values.image.tag }}"
                          env:
                            - {name: COLOUR, value: {{ .Values.environment | quote }}}
                            - {name: RELEASE, value: {{ .Release.Name | quote }}}
                            - {name: NAMESPACE, value: {{ .Release.Namespace | quote }}}
                """);
        write(dir, "templates/service.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: checkout
                spec:
                  selector: {app: checkout}
                  ports:
                    - {name: http, port: 80, targetPort: 8080}
                """);
        return dir;
    }

    /** A ConfigMap whose template calls a function that does not exist, on line 6. */
    public static Path templateError(Path dir) {
        chart(dir, "broken");
        write(dir, "templates/configmap.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: broken
                data:
                  level: {{ .Values.level | nosuchfunction }}
                """);
        return dir;
    }

    /** A ConfigMap holding {@code what} as its value {@code v}, e.g. a call of lookup or getHostByName. */
    public static Path configMapOf(Path dir, String name, String what) {
        chart(dir, name);
        write(dir, "templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n"
                + "  v: {{ " + what + " | toJson | quote }}\n");
        return dir;
    }

    /** A chart that depends on a chart from a repository, not vendored in its charts/ folder. */
    public static Path withDependency(Path dir) {
        write(dir, "Chart.yaml", """
                apiVersion: v2
                name: with-dependency
                version: 0.1.0
                dependencies:
                  - name: redis
                    version: 19.0.0
                    repository: https://charts.example.com/stable
                """);
        write(dir, "templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n");
        return dir;
    }
}
