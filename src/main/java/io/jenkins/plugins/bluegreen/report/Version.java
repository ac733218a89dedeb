package io.jenkins.plugins.bluegreen.report;

/** A colour and the image it ran, as the header of a report names the candidate and the stable version. */
public final class Version {

    private final String color;
    private final String image;

    Version(String color, String image) {
        this.color = color;
        this.image = image;
    }

    /** {@code blue} or {@code green}. */
    public String getColor() {
        return color;
    }

    /** The image, or null when the record does not say. */
    public String getImage() {
        return image;
    }

    /** {@code bgd-swatch bgd-blue} or {@code bgd-swatch bgd-green}. */
    public String getSwatchClass() {
        return "bgd-swatch bgd-" + ("green".equals(color) ? "green" : "blue");
    }
}
