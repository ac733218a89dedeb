package io.jenkins.plugins.bluegreen.report;

/**
 * One tick of an axis: where it is along the axis, where its label's baseline goes, and the label.
 * For the time axis both are x coordinates' partners: {@code pos} is x, {@code labelPos} is the label's y.
 */
public final class Tick {

    private final double pos;
    private final double labelPos;
    private final String label;

    Tick(double pos, double labelPos, String label) {
        this.pos = pos;
        this.labelPos = labelPos;
        this.label = label;
    }

    /** x for the time axis, y for the value axis. */
    public double getPos() {
        return pos;
    }

    /** The label's baseline y for the value axis (centred on the tick), or its y under the time axis. */
    public double getLabelPos() {
        return labelPos;
    }

    public String getLabel() {
        return label;
    }
}
