// Compile-only declaration of hudson.model.Result (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// The real class also implements org.kohsuke.stapler.export.CustomExportedBean (not declared) and has the fields
// `public final @NonNull BallColor color` (BallColor not declared) and `public static final SingleValueConverter conv`,
// the nested OptionHandlerImpl and the @Initializer init(); all left out.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;
import java.util.List;

public final class Result implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final @NonNull Result SUCCESS = new Result("SUCCESS", 0, true);
    public static final @NonNull Result UNSTABLE = new Result("UNSTABLE", 1, true);
    public static final @NonNull Result FAILURE = new Result("FAILURE", 2, true);
    public static final @NonNull Result NOT_BUILT = new Result("NOT_BUILT", 3, false);
    public static final @NonNull Result ABORTED = new Result("ABORTED", 4, false);

    private static final List<Result> ALL = List.of(SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED);

    private final @NonNull String name;

    public final int ordinal;

    public final boolean completeBuild;

    private Result(@NonNull String name, int ordinal, boolean complete) {
        this.name = name;
        this.ordinal = ordinal;
        this.completeBuild = complete;
    }

    public @NonNull Result combine(@NonNull Result that) {
        return that.ordinal > ordinal ? that : this;
    }

    public static Result combine(Result r1, Result r2) {
        if (r1 == null) {
            return r2;
        }
        return r2 == null ? r1 : r1.combine(r2);
    }

    public boolean isWorseThan(@NonNull Result that) {
        return ordinal > that.ordinal;
    }

    public boolean isWorseOrEqualTo(@NonNull Result that) {
        return ordinal >= that.ordinal;
    }

    public boolean isBetterThan(@NonNull Result that) {
        return ordinal < that.ordinal;
    }

    public boolean isBetterOrEqualTo(@NonNull Result that) {
        return ordinal <= that.ordinal;
    }

    public boolean isCompleteBuild() {
        return completeBuild;
    }

    @Override
    public @NonNull String toString() {
        return name;
    }

    public @NonNull String toExportedObject() {
        return name;
    }

    /** Case-insensitive lookup of a constant by name; unknown names give {@link #FAILURE}. */
    public static @NonNull Result fromString(@NonNull String s) {
        return ALL.stream().filter(r -> r.name.equalsIgnoreCase(s)).findFirst().orElse(FAILURE);
    }

    private Object readResolve() {
        return ALL.stream().filter(r -> r.ordinal == ordinal).findFirst().orElse(FAILURE);
    }
}
