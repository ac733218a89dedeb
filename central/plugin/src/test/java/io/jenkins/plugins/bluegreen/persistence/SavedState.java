package io.jenkins.plugins.bluegreen.persistence;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state XStream saves of an object, as a tree of plain values: its non-static, non-transient fields by
 * {@code Class.field} name, through the plugin's own classes and lists. Two objects with equal trees load the same.
 */
final class SavedState {

    private static final String OURS = "io.jenkins.plugins.bluegreen.";

    private SavedState() {}

    static Object of(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof List) {
            List<Object> items = new ArrayList<>();
            for (Object item : (List<?>) o) {
                items.add(of(item));
            }
            return items;
        }
        if (!o.getClass().getName().startsWith(OURS)) {
            return o;
        }
        Map<String, Object> fields = new TreeMap<>();
        fields.put("class", o.getClass().getName());
        for (Class<?> c = o.getClass(); c != null && c.getName().startsWith(OURS); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!saved(f)) {
                    continue;
                }
                f.setAccessible(true);
                try {
                    fields.put(c.getSimpleName() + "." + f.getName(), of(f.get(o)));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return fields;
    }

    /** A field XStream writes. */
    static boolean saved(Field f) {
        return !Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers());
    }
}
