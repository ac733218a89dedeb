package io.jenkins.plugins.bluegreen.net;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The pause an HTTP {@code Retry-After} header asks for: seconds, or an HTTP date (RFC 9110). Each caller bounds it. */
public final class RetryAfterHeader {

    private RetryAfterHeader() {
    }

    /** The milliseconds asked, or 0 when there is no header, it cannot be read, or it asks for no pause. */
    public static long askedMillis(String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        long millis;
        try {
            millis = Long.parseLong(header.trim()) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                millis = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli()
                        - nowMillis;
            } catch (DateTimeParseException notADate) {
                return 0;
            }
        }
        return Math.max(millis, 0);
    }
}
