package io.jenkins.plugins.bluegreen.testinfra;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Set;
import java.util.TreeSet;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** TEST CODE: the names Stapler and structs bind on a class: its {@code @DataBoundConstructor} parameters and setters. */
public final class DataBoundNames {

    private DataBoundNames() {}

    public static Set<String> of(Class<?> c) {
        Set<String> names = new TreeSet<>();
        for (Constructor<?> k : c.getConstructors()) {
            if (k.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : k.getParameters()) {
                    names.add(p.getName());
                }
            }
        }
        for (Method m : c.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                names.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
            }
        }
        return names;
    }
}
