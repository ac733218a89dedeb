// Compile-only declaration of hudson.ExtensionList (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: a plain list that tests fill with add(T); lookup() asks Jenkins.get() as the real one does.
package hudson;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.Jenkins;
import jenkins.util.io.OnMaster;

public class ExtensionList<T> extends AbstractList<T> implements OnMaster {
    @CheckForNull
    public final Jenkins jenkins;

    public final Class<T> extensionType;

    private final List<T> items = new CopyOnWriteArrayList<>();

    protected ExtensionList(Jenkins jenkins, Class<T> extensionType) {
        this.jenkins = jenkins;
        this.extensionType = extensionType;
    }

    public static <T> ExtensionList<T> create(Jenkins jenkins, Class<T> type) {
        return new ExtensionList<>(jenkins, type);
    }

    public static @NonNull <T> ExtensionList<T> lookup(Class<T> type) {
        return Jenkins.get().getExtensionList(type);
    }

    public static @NonNull <U> U lookupSingleton(Class<U> type) {
        ExtensionList<U> all = lookup(type);
        if (all.size() != 1) {
            throw new IllegalStateException("Expected 1 instance of " + type.getName() + " but got " + all.size());
        }
        return all.get(0);
    }

    public @CheckForNull <U extends T> U get(@NonNull Class<U> type) {
        for (T ext : this) {
            if (ext.getClass() == type) {
                return type.cast(ext);
            }
        }
        return null;
    }

    public @NonNull <U extends T> U getInstance(@NonNull Class<U> type) {
        for (T ext : this) {
            if (type.isInstance(ext)) {
                return type.cast(ext);
            }
        }
        throw new IllegalStateException("The class " + type.getName() + " was not found, potentially not yet loaded");
    }

    @Override
    public @NonNull Iterator<T> iterator() {
        return items.iterator();
    }

    @Override
    public T get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    @Deprecated
    public boolean add(T t) {
        return items.add(t);
    }
}
