package io.jenkins.plugins.bluegreen.engine;

/** How the candidate colour's Deployment is made. */
public sealed interface CandidateSource permits CandidateSource.Manifest, CandidateSource.NewImage {

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
}
