package io.jenkins.plugins.bluegreen.smoke;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The first bytes of a response body, up to a limit: enough to search and to quote, never an unbounded download. */
final class BodyPrefix {

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    BodyPrefix(int limit) {
        this.limit = limit;
    }

    /** @return whether more bytes are wanted */
    synchronized boolean append(List<ByteBuffer> buffers) {
        for (ByteBuffer b : buffers) {
            int n = Math.min(b.remaining(), limit - bytes.size());
            byte[] chunk = new byte[n];
            b.get(chunk);
            bytes.write(chunk, 0, n);
        }
        return bytes.size() < limit;
    }

    /** The bytes so far as UTF-8 (a character cut at the limit becomes a replacement character). */
    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
