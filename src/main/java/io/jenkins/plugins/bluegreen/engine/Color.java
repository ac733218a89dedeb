package io.jenkins.plugins.bluegreen.engine;

import java.util.Locale;

/** The two colours of a blue-green pair. */
public enum Color {
    BLUE,
    GREEN;

    /** The label value and name suffix: {@code blue} or {@code green}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Color other() {
        return this == BLUE ? GREEN : BLUE;
    }

    /** Parses {@code blue}/{@code green} in any case; null for anything else. */
    public static Color fromLabel(String label) {
        if (label == null) {
            return null;
        }
        switch (label.toLowerCase(Locale.ROOT)) {
            case "blue":
                return BLUE;
            case "green":
                return GREEN;
            default:
                return null;
        }
    }

    @Override
    public String toString() {
        return label();
    }
}
