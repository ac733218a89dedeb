package io.jenkins.plugins.bluegreen.helm;

import com.marcnuri.helm.TemplateCommand;
import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.NativeLibrary;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM that {@link HelmRenderer} starts: the only code that touches helm-java. It reads one request from
 * standard input, renders the chart once per release with Helm's engine, writes each manifest to its file and exits.
 * A render error goes to the error file (the release's colour on the first line, Helm's message after it) with exit
 * code {@value #RENDER_ERROR}.
 *
 * <p>It runs in its own process because helm-java's Go runtime takes SIGTERM and SIGINT from the JVM that loads it
 * (a controller that rendered once would no longer shut down on them), because its template command lets
 * {@code lookup} call the cluster of the process's environment, which is replaced here with an {@link EmptyCluster} on
 * the child's loopback, and because a crash of the native engine must not take the controller with it.
 */
public final class HelmRenderMain {

    static final int PROTOCOL = 1;
    static final int RENDER_ERROR = 3;

    private HelmRenderMain() {}

    /** @param args the error file */
    public static void main(String[] args) throws Exception {
        Path errorFile = Path.of(args[0]);
        DataInputStream in = new DataInputStream(System.in);
        if (in.readInt() != PROTOCOL) {
            throw new IOException("unexpected request");
        }
        NativeLibrary library = (NativeLibrary) Class.forName(in.readUTF()).getDeclaredConstructor().newInstance();
        Path chart = Path.of(in.readUTF());
        String namespace = in.readUTF();
        int releases = in.readInt();
        String[] names = new String[releases];
        String[] colors = new String[releases];
        Path[] outputs = new Path[releases];
        for (int i = 0; i < releases; i++) {
            names[i] = in.readUTF();
            colors[i] = in.readUTF();
            outputs[i] = Path.of(in.readUTF());
        }
        String colorValue = in.readBoolean() ? in.readUTF() : null;
        Path[] valuesFiles = new Path[in.readInt()];
        for (int i = 0; i < valuesFiles.length; i++) {
            valuesFiles[i] = Path.of(in.readUTF());
        }
        String[][] set = new String[in.readInt()][];
        for (int i = 0; i < set.length; i++) {
            set[i] = new String[] {in.readUTF(), in.readUTF()};
        }

        String kubeconfig = System.getenv("KUBECONFIG");
        // lookup asks an empty cluster on this JVM's loopback, and answers empty
        try (EmptyCluster empty = kubeconfig == null ? null : EmptyCluster.start(Path.of(kubeconfig))) {
            HelmLib helm = library.load();
            for (int i = 0; i < releases; i++) {
                TemplateCommand template = new TemplateCommand(helm, chart).withName(names[i]).withNamespace(namespace);
                for (Path v : valuesFiles) {
                    template.withValuesFile(v);
                }
                for (String[] kv : set) {
                    template.set(kv[0], kv[1]);
                }
                if (colorValue != null) {
                    template.set(colorValue, colors[i]);
                }
                String manifest;
                try {
                    manifest = template.call();
                } catch (IllegalStateException e) { // helm-java's wrapper of Helm's error
                    Files.writeString(errorFile, colors[i] + "\n" + e.getMessage(), StandardCharsets.UTF_8);
                    System.exit(RENDER_ERROR);
                    return;
                }
                Files.writeString(outputs[i], manifest == null ? "" : manifest, StandardCharsets.UTF_8);
            }
        }
        System.exit(0); // the Go runtime's threads would keep the JVM alive
    }
}
