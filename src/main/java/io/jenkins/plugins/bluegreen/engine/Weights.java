package io.jenkins.plugins.bluegreen.engine;

/**
 * The share of traffic each colour gets, in whole percent summing to 100.
 *
 * @param blue percent of requests to blue
 * @param green percent of requests to green
 */
public record Weights(int blue, int green) {

    public Weights {
        if (blue < 0 || blue > 100 || green < 0 || green > 100) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    "weights must be whole percentages from 0 to 100, got blue " + blue + " and green " + green);
        }
        if (blue + green != 100) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    "weights must sum to 100, got blue " + blue + " + green " + green + " = " + (blue + green));
        }
    }

    /** {@code percent} to {@code color}, the rest to the other colour. */
    public static Weights of(Color color, int percent) {
        if (percent < 0 || percent > 100) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    "a traffic weight must be a whole percentage from 0 to 100, got " + percent);
        }
        return color == Color.BLUE ? new Weights(percent, 100 - percent) : new Weights(100 - percent, percent);
    }

    /** All traffic to {@code color}. */
    public static Weights all(Color color) {
        return of(color, 100);
    }

    public int of(Color color) {
        return color == Color.BLUE ? blue : green;
    }

    @Override
    public String toString() {
        return "blue " + blue + " % / green " + green + " %";
    }
}
