package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * A Helm chart in the workspace as {@code blueGreenDeploy}'s source:
 * {@code helmChart(chart: 'charts/my-service', values: ['values-prod.yaml'], set: ['image.tag': '1.4.0'],
 * colorValue: 'environment')}. It is rendered for both colours when the deploy begins ({@link HelmChartRendering}).
 *
 * <p>{@code set} is a Pipeline map. structs (362) has no parameter type for a map, but binds one as it comes:
 * {@code DescribableModel.coerce} returns a map argument unchanged when the parameter is a {@code Map}, and
 * workflow-cps has already turned its GStrings into Strings. The setter keeps strings, numbers and booleans as text
 * and only notes the keys of anything else, so binding never fails (a failure there would print the arguments, values
 * included); {@link #validate} refuses them when the step starts. Only the paths and the {@code set} keys and values
 * as written are kept: never a rendered manifest. {@link #toString} shows no value.
 */
public final class HelmChart implements Describable<HelmChart>, Serializable {
    private static final long serialVersionUID = 1L;

    static final int MAX_PATH_LENGTH = 1000;
    static final int MAX_VALUES_FILES = 20;
    static final int MAX_SET = 200;
    static final int MAX_SET_VALUE_LENGTH = 16 * 1024;
    /** A key as {@code --set} reads it: dotted names, list indexes, escaped dots ({@code a\.b}) and slashes. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-\\[\\]\\\\/]{0,249}");
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private final String chart;
    private ArrayList<String> values;
    private LinkedHashMap<String, String> set;
    /** Keys of {@code set} whose values were neither text, numbers nor booleans: refused when the step starts. */
    private ArrayList<String> unusableSetKeys;
    private String colorValue;

    /** @param chart the workspace path of a chart folder (with Chart.yaml) or of a packaged chart (.tgz) */
    @DataBoundConstructor
    public HelmChart(String chart) {
        this.chart = chart == null ? "" : chart.trim();
    }

    public @NonNull String getChart() {
        return chart;
    }

    public @CheckForNull List<String> getValues() {
        return values == null ? null : new ArrayList<>(values);
    }

    /** @param values workspace paths of values files, applied in order (later ones win), as {@code helm -f} */
    @DataBoundSetter
    public void setValues(List<String> values) {
        if (values == null || values.isEmpty()) {
            this.values = null;
            return;
        }
        this.values = new ArrayList<>();
        for (Object v : values) { // a Pipeline list may hold anything: checked when the step starts
            this.values.add(v == null ? null : String.valueOf(v).trim());
        }
    }

    public @CheckForNull Map<String, String> getSet() {
        return set == null ? null : new LinkedHashMap<>(set);
    }

    /** @param set values as {@code helm --set key=value}, applied after the values files; a Pipeline map */
    @DataBoundSetter
    public void setSet(Map<String, ?> set) {
        this.set = null;
        this.unusableSetKeys = null;
        if (set == null || set.isEmpty()) {
            return;
        }
        this.set = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : set.entrySet()) {
            String key = String.valueOf(e.getKey()).trim();
            Object v = e.getValue();
            if (v instanceof CharSequence || v instanceof Number || v instanceof Boolean) {
                this.set.put(key, v.toString());
            } else {
                if (unusableSetKeys == null) {
                    unusableSetKeys = new ArrayList<>();
                }
                unusableSetKeys.add(key);
            }
        }
    }

    public @CheckForNull String getColorValue() {
        return colorValue;
    }

    /** @param colorValue the value that receives the colour being rendered, as the guide's {@code --set environment=green} */
    @DataBoundSetter
    public void setColorValue(String colorValue) {
        this.colorValue = ClusterStep.trimToNull(colorValue);
    }

    /**
     * Checks the arguments.
     *
     * @throws IllegalArgumentException naming the argument and the rule (never a {@code set} value)
     */
    void validate() {
        if (chart.isEmpty()) {
            throw new IllegalArgumentException(Messages.HelmChart_ChartRequired());
        }
        String c = chart.toLowerCase(Locale.ROOT);
        if (c.contains("://") || c.startsWith("oci:")) {
            throw new IllegalArgumentException(Messages.HelmChart_RepositoryNotSupported(shorten(chart)));
        }
        checkPath("helmChart chart", chart);
        if (values != null) {
            if (values.size() > MAX_VALUES_FILES) {
                throw new IllegalArgumentException(Messages.HelmChart_TooManyValues(MAX_VALUES_FILES));
            }
            for (String v : values) {
                if (v == null || v.isEmpty()) {
                    throw new IllegalArgumentException(Messages.HelmChart_ValuesEmpty());
                }
                checkPath("helmChart values", v);
            }
        }
        if (unusableSetKeys != null) {
            throw new IllegalArgumentException(Messages.HelmChart_SetValueUnusable(shorten(unusableSetKeys.get(0))));
        }
        if (set != null) {
            if (set.size() > MAX_SET) {
                throw new IllegalArgumentException(Messages.HelmChart_TooManySet(MAX_SET));
            }
            for (Map.Entry<String, String> e : set.entrySet()) {
                if (!KEY.matcher(e.getKey()).matches()) {
                    throw new IllegalArgumentException(Messages.HelmChart_SetKeyInvalid(shorten(e.getKey())));
                }
                if (e.getValue().length() > MAX_SET_VALUE_LENGTH) {
                    throw new IllegalArgumentException(Messages.HelmChart_SetValueTooLong(e.getKey(), MAX_SET_VALUE_LENGTH));
                }
            }
        }
        if (colorValue != null) {
            if (!KEY.matcher(colorValue).matches()) {
                throw new IllegalArgumentException(Messages.HelmChart_ColorValueInvalid(shorten(colorValue)));
            }
            if (set != null) {
                for (String key : set.keySet()) {
                    if (key.equals(colorValue) || key.startsWith(colorValue + ".") || key.startsWith(colorValue + "[")) {
                        throw new IllegalArgumentException(Messages.HelmChart_SetHasColorValue(key, colorValue));
                    }
                }
            }
        }
    }

    /**
     * A workspace path: relative, inside the workspace as written (no {@code ..} segment), one line. Symbolic links
     * are checked when the files are read.
     */
    static void checkPath(String argument, String path) {
        if (path.length() > MAX_PATH_LENGTH || path.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(Messages.HelmChart_PathInvalid(argument, shorten(path), MAX_PATH_LENGTH));
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.startsWith("~") || DRIVE.matcher(path).matches()) {
            throw new IllegalArgumentException(Messages.HelmChart_PathAbsolute(argument, shorten(path)));
        }
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException(Messages.HelmChart_PathEscapes(argument, shorten(path)));
            }
        }
    }

    /** A copy to keep in the execution's saved state. */
    HelmChart copy() {
        HelmChart h = new HelmChart(chart);
        h.values = values == null ? null : new ArrayList<>(values);
        h.set = set == null ? null : new LinkedHashMap<>(set);
        h.unusableSetKeys = unusableSetKeys == null ? null : new ArrayList<>(unusableSetKeys);
        h.colorValue = colorValue;
        return h;
    }

    /** The chart and what is passed to it, with the {@code set} keys but never their values. */
    @Override
    public String toString() {
        return "helmChart " + chart + (values == null ? "" : " values " + values) + (set == null ? "" : " set " + set.keySet())
                + (colorValue == null ? "" : " colorValue " + colorValue);
    }

    private static String shorten(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }

    @Extension
    @Symbol("helmChart")
    public static final class DescriptorImpl extends Descriptor<HelmChart> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.HelmChart_DisplayName();
        }
    }
}
