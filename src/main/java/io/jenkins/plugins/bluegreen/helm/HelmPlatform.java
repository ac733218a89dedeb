package io.jenkins.plugins.bluegreen.helm;

import java.util.Locale;

/**
 * Which of helm-java's native Helm engines fits the controller. helm-java publishes one jar per platform; the plugin
 * bundles linux-amd64 (the Maven Central this build reaches has no linux-arm64 jar of helm-java), and knows
 * linux-arm64 so that a build that adds its jar renders there too.
 *
 * @param label e.g. {@code linux-amd64}
 * @param libraryClass helm-java's {@code NativeLibrary} implementation for the platform
 * @param binary the shared library inside that jar
 */
public record HelmPlatform(String label, String libraryClass, String binary) {

    static final HelmPlatform LINUX_AMD64 = new HelmPlatform("linux-amd64",
            "com.marcnuri.helm.jni.linux.amd64.LinuxAmd64NativeLibrary", "helm-linux-amd64.so");
    static final HelmPlatform LINUX_ARM64 = new HelmPlatform("linux-arm64",
            "com.marcnuri.helm.jni.linux.arm64.LinuxArm64NativeLibrary", "helm-linux-arm64.so");

    /** The platform this JVM runs on. */
    public static HelmPlatform current(ClassLoader loader) throws HelmException {
        return of(System.getProperty("os.name", "?"), System.getProperty("os.arch", "?"), loader);
    }

    /**
     * The engine for {@code osName}/{@code osArch} (as the JVM reports them), if the plugin carries it.
     *
     * @throws HelmException naming the platform when there is no engine for it in {@code loader}
     */
    static HelmPlatform of(String osName, String osArch, ClassLoader loader) throws HelmException {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        HelmPlatform p = null;
        if (os.startsWith("linux")) {
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                p = LINUX_AMD64;
            } else if (arch.equals("aarch64") || arch.equals("arm64")) {
                p = LINUX_ARM64;
            }
        }
        if (p == null || loader.getResource(p.binary) == null) {
            throw new HelmException("Helm charts are rendered on the Jenkins controller, which runs on " + osName + "/" + osArch
                    + " (os.name/os.arch), and this plugin carries the Helm engine for linux-amd64 only"
                    + (p == null ? "" : " (helm-java's " + p.label + " engine is not in this build)")
                    + ": run the controller on linux-amd64, or render the chart in the Pipeline and pass the result as manifest.");
        }
        return p;
    }
}
