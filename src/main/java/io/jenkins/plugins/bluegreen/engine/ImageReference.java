package io.jenkins.plugins.bluegreen.engine;

import java.util.regex.Pattern;

/**
 * The immutable-tag rule: an image must name a version that cannot move under the rollout. {@code latest} and
 * untagged images are refused; a digest ({@code @sha256:...}) is always fine.
 */
public final class ImageReference {

    private static final Pattern DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}$");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private ImageReference() {}

    /** @throws RolloutException of kind INVALID_INPUT naming the image and the rule it breaks */
    public static void check(String image) {
        if (image == null || image.isBlank()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "an image is required");
        }
        if (!image.equals(image.trim()) || image.chars().anyMatch(Character::isWhitespace)) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the image '" + image.trim() + "' contains white space");
        }
        if (image.contains("@")) {
            if (!DIGEST.matcher(image).find()) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT,
                        "the image '" + image + "' has a malformed digest (expected @sha256: and 64 hex digits)");
            }
            return;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the image '" + image
                    + "' has no tag; use an immutable tag such as :1.4.0 or a digest (@sha256:...)");
        }
        String tag = image.substring(colon + 1);
        if (tag.equalsIgnoreCase("latest")) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the image '" + image
                    + "' uses the tag 'latest', which can change under a rollout; use an immutable tag or a digest");
        }
        if (!TAG.matcher(tag).matches()) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the image '" + image + "' has an invalid tag");
        }
    }
}
