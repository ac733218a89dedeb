package io.jenkins.plugins.bluegreen.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Neither helm-java nor JNA is ever loaded in the controller's JVM: not when the plugin's classes load (the step, its
 * descriptor and the {@code helmChart} describable, as Jenkins loads extensions), not for a step without a chart, and
 * not even while a chart is rendered, since only the renderer's child JVM loads them. Checked in a class loader of its
 * own over the test class path, which records what it loads.
 */
class HelmIsolationTest {

    private static final List<String> NEVER = List.of("com.marcnuri.helm.TemplateCommand", "com.marcnuri.helm.jni.NativeLibrary",
            "com.marcnuri.helm.jni.HelmLib", "com.marcnuri.helm.jni.linux.amd64.LinuxAmd64NativeLibrary", "com.sun.jna.Native",
            "io.jenkins.plugins.bluegreen.helm.HelmRenderMain");

    /** Loads everything itself (the JDK's classes aside) and tells which classes it loaded. */
    static final class Recording extends URLClassLoader {
        Recording(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        List<String> loadedOf(List<String> names) {
            List<String> loaded = new ArrayList<>();
            for (String n : names) {
                if (findLoadedClass(n) != null) {
                    loaded.add(n);
                }
            }
            return loaded;
        }
    }

    private static URL[] testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(cp.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(s -> {
            try {
                return Path.of(s).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(URL[]::new);
    }

    @Test
    void neitherHelmJavaNorJnaIsLoadedInTheControllerJvm(@TempDir Path tmp) throws Exception {
        try (Recording loader = new Recording(testClassPath())) {
            for (String c : List.of("io.jenkins.plugins.bluegreen.steps.BlueGreenDeployStep",
                    "io.jenkins.plugins.bluegreen.steps.BlueGreenDeployStep$DescriptorImpl",
                    "io.jenkins.plugins.bluegreen.steps.BlueGreenDeployStep$Execution", "io.jenkins.plugins.bluegreen.steps.HelmChart",
                    "io.jenkins.plugins.bluegreen.steps.HelmChart$DescriptorImpl", "io.jenkins.plugins.bluegreen.steps.HelmChartRendering",
                    "io.jenkins.plugins.bluegreen.kubernetes.KubernetesWorkloads", "io.jenkins.plugins.bluegreen.helm.HelmRenderer")) {
                Class.forName(c, true, loader);
            }
            // a step with an image, checked as when it starts
            Class<?> stepClass = loader.loadClass("io.jenkins.plugins.bluegreen.steps.BlueGreenDeployStep");
            Object step = stepClass.getConstructor(String.class).newInstance("checkout");
            stepClass.getMethod("setImage", String.class).invoke(step, "registry.example.com/shop/checkout:2.0.0");
            Method validate = stepClass.getDeclaredMethod("validate");
            validate.setAccessible(true);
            validate.invoke(step);
            assertEquals(List.of(), loader.loadedOf(NEVER), "at plugin load and for a step without a chart");

            // a chart rendered through this loader's renderer
            Path chart = TestCharts.checkout(tmp.resolve("checkout"));
            Class<?> request = loader.loadClass("io.jenkins.plugins.bluegreen.helm.HelmRenderer$Request");
            Object r = request.getConstructors()[0].newInstance(chart, "checkout", List.of(), List.of(), Map.of("image.tag", "1.0.0"),
                    "environment", "shop", "checkout");
            Class<?> renderer = loader.loadClass("io.jenkins.plugins.bluegreen.helm.HelmRenderer");
            Object rendered = renderer.getMethod("render", request, Path.class).invoke(renderer.getConstructor().newInstance(), r,
                    Files.createDirectories(tmp.resolve("work")));
            assertTrue(String.valueOf(rendered).startsWith("PerColor[blue "), String.valueOf(rendered));
            assertEquals(List.of(), loader.loadedOf(NEVER), "rendering loads them in the child JVM only");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
