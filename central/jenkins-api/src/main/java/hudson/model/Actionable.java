// Compile-only declaration of hudson.model.Actionable (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// The real class extends AbstractModelObject (which implements SearchableModelObject, a ModelObject) and implements
// ModelObjectWithContextMenu; neither is declared, so this one implements ModelObject directly (getDisplayName() stays
// abstract, as in the real class). Left out: @Deprecated getAction(int), getDynamic, doContextMenu and the inherited
// search members (getSearchUrl() is abstract in the real class through SearchItem).
// Behaviour: actions are kept in a list; there are no TransientActionFactory contributions.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

public abstract class Actionable implements ModelObject {
    private volatile CopyOnWriteArrayList<Action> actions;

    @Deprecated
    @NonNull
    public List<Action> getActions() {
        CopyOnWriteArrayList<Action> list = actions;
        if (list == null) {
            synchronized (this) {
                list = actions;
                if (list == null) {
                    actions = list = new CopyOnWriteArrayList<>();
                }
            }
        }
        return list;
    }

    @NonNull
    public final List<? extends Action> getAllActions() {
        return List.copyOf(getActions());
    }

    @NonNull
    public <T extends Action> List<T> getActions(Class<T> type) {
        return getActions().stream().filter(type::isInstance).map(type::cast).collect(Collectors.toUnmodifiableList());
    }

    public void addAction(@NonNull Action a) {
        getActions().add(requireAction(a));
    }

    public void replaceAction(@NonNull Action a) {
        addOrReplaceAction(a);
    }

    public boolean addOrReplaceAction(@NonNull Action a) {
        return replaceWithin(requireAction(a), other -> other.getClass() == a.getClass());
    }

    public boolean removeAction(@Nullable Action a) {
        return a != null && getActions().removeAll(Set.of(a));
    }

    public boolean removeActions(@NonNull Class<? extends Action> clazz) {
        Objects.requireNonNull(clazz, "Action type must be non-null");
        List<Action> matching = getActions().stream().filter(clazz::isInstance).collect(Collectors.toList());
        return getActions().removeAll(matching);
    }

    public boolean replaceActions(@NonNull Class<? extends Action> clazz, @NonNull Action a) {
        Objects.requireNonNull(clazz, "Action type must be non-null");
        return replaceWithin(requireAction(a), other -> clazz.isInstance(other) && !other.equals(a));
    }

    public <T extends Action> T getAction(Class<T> type) {
        return getActions().stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    /** Keeps the first action equal to {@code a} (adding {@code a} if there is none) and drops the other matching ones. */
    private boolean replaceWithin(Action a, Predicate<Action> matches) {
        List<Action> current = getActions();
        boolean[] kept = {false};
        List<Action> stale = current.stream().filter(other -> {
            if (!kept[0] && other.equals(a)) {
                kept[0] = true;
                return false;
            }
            return matches.test(other);
        }).collect(Collectors.toList());
        current.removeAll(stale);
        if (!kept[0]) {
            addAction(a);
        }
        return !kept[0] || !stale.isEmpty();
    }

    private static Action requireAction(Action a) {
        if (a == null) {
            throw new IllegalArgumentException("Action must be non-null");
        }
        return a;
    }
}
