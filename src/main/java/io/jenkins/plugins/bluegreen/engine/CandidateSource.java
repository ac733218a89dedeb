package io.jenkins.plugins.bluegreen.engine;

/** How the candidate colour's Deployment is made. */
public sealed interface CandidateSource permits CandidateSource.Manifest, CandidateSource.NewImage, CandidateSource.PerColor {

    /**
     * A Deployment manifest (YAML or JSON), optionally followed by the Service that fronts both colours. The
     * plugin names, labels and scales the Deployment for the colour itself.
     */
    record Manifest(String text) implements CandidateSource {
        public Manifest {
            if (text == null || text.isBlank()) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the manifest is empty");
            }
        }

        @Override
        public String toString() {
            return "Manifest[" + text.length() + " characters]";
        }
    }

    /**
     * The stable colour's Deployment with a new image.
     *
     * @param image the new image; its tag must be immutable (no {@code latest}, no missing tag; digests are fine)
     * @param container the container to change; null when the pod has exactly one container
     */
    record NewImage(String image, String container) implements CandidateSource {
        public NewImage {
            ImageReference.check(image);
        }
    }

    /**
     * One manifest per colour, rendered before the engine picks the candidate colour (a Helm chart renders the
     * colour into its objects), so that whichever colour the engine deploys has its own text.
     */
    record PerColor(String blue, String green) implements CandidateSource {
        public PerColor {
            for (Color c : Color.values()) {
                String text = c == Color.BLUE ? blue : green;
                if (text == null || text.isBlank()) {
                    throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the manifest rendered for " + c + " is empty");
                }
            }
        }

        /** The manifest rendered for {@code color}. */
        public Manifest forColor(Color color) {
            return new Manifest(color == Color.BLUE ? blue : green);
        }

        @Override
        public String toString() {
            return "PerColor[blue " + blue.length() + " characters, green " + green.length() + " characters]";
        }
    }
}
