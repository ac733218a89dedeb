package io.jenkins.plugins.bluegreen.testkit;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * TEST CODE: binds named arguments to a step or a nested describable as structs' {@code DescribableModel.instantiate}
 * does for a Pipeline: the {@code @DataBoundConstructor} with the arguments named like its parameters (a missing one
 * is null, or 0/false for a primitive), then each remaining argument through the {@code @DataBoundSetter} method or
 * field of that name; an unknown name is refused. Numbers are coerced to the parameter's type as Groovy would. An
 * exception thrown by the constructor or a setter comes back, as in structs, wrapped in "Could not instantiate ...":
 * what a user sees as a hundred-line stack trace.
 */
public final class StructsBinding {

    private StructsBinding() {}

    /** What {@code gate(name: 'x', threshold: 1)} or {@code shiftTraffic(service: 'a', percent: 5)} builds. */
    public static <T> T instantiate(Class<T> type, Map<String, ?> arguments) {
        Map<String, Object> rest = new LinkedHashMap<>(arguments);
        try {
            Constructor<?> constructor = dataBoundConstructor(type);
            List<Object> values = new ArrayList<>();
            for (Parameter p : constructor.getParameters()) {
                if (!p.isNamePresent()) {
                    throw new AssertionError(type + " was compiled without -parameters: Stapler cannot bind it");
                }
                values.add(coerce(rest.remove(p.getName()), p.getType()));
            }
            T instance = type.cast(constructor.newInstance(values.toArray()));
            for (Map.Entry<String, Object> e : rest.entrySet()) {
                inject(instance, e.getKey(), e.getValue());
            }
            return instance;
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Could not instantiate " + arguments + " for " + type.getName() + ": "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Constructor<?> dataBoundConstructor(Class<?> type) {
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                return c;
            }
        }
        throw new AssertionError(type + " has no public @DataBoundConstructor");
    }

    private static void inject(Object instance, String name, Object value) throws ReflectiveOperationException {
        String setter = "set" + name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        for (Method m : instance.getClass().getMethods()) {
            if (m.getName().equals(setter) && m.getParameterCount() == 1 && m.isAnnotationPresent(DataBoundSetter.class)) {
                m.invoke(instance, coerce(value, m.getParameterTypes()[0]));
                return;
            }
        }
        for (Class<?> c = instance.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && f.isAnnotationPresent(DataBoundSetter.class) && !Modifier.isFinal(f.getModifiers())) {
                    f.setAccessible(true);
                    f.set(instance, coerce(value, f.getType()));
                    return;
                }
            }
        }
        throw new IllegalArgumentException(instance.getClass().getName() + " does not take parameter '" + name + "'");
    }

    private static Object coerce(Object value, Class<?> type) {
        if (value == null) {
            if (type == int.class) {
                return 0;
            }
            if (type == boolean.class) {
                return false;
            }
            return type == double.class ? 0.0 : null;
        }
        if (value instanceof Number) {
            Number n = (Number) value;
            if (type == int.class || type == Integer.class) {
                return n.intValue();
            }
            if (type == double.class || type == Double.class) {
                return n.doubleValue();
            }
            if (type == long.class || type == Long.class) {
                return n.longValue();
            }
        }
        if (type == String.class && !(value instanceof String)) {
            return String.valueOf(value); // Groovy's GString and numbers where a string is wanted
        }
        return value;
    }
}
