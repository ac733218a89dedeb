package io.jenkins.plugins.bluegreen.persistence;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Loads the plugin's own classes from one jar only, as Jenkins' plugin class loader loads them from {@code
 * WEB-INF/lib}, and everything else (the Jenkins API, libraries) from the test class path. A class of the plugin that
 * the jar lacks is not found, rather than taken from the build's output.
 */
public final class PluginJarLoader extends URLClassLoader {

    private static final String OURS = "io.jenkins.plugins.bluegreen.";

    public PluginJarLoader(Path jar) throws IOException {
        super(new URL[] {jar.toUri().toURL()}, PluginJarLoader.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(OURS)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
