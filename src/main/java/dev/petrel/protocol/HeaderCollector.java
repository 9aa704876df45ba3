package dev.petrel.protocol;

import java.io.ByteArrayOutputStream;

/**
 * Keeps the header section of a message as its content streams by (up to and including the
 * empty line that ends it), for {@link SessionHandler#checkMessage}. Bounded: beyond its cap it
 * keeps nothing more and reports an overflow, so a client cannot make the session hold a huge
 * header in memory. The session sets the cap from [limits] max_header_size, so a header section
 * the limit allows is always kept whole.
 */
final class HeaderCollector {
    private final int cap;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean done;
    private boolean overflow;
    private boolean lineStart = true;

    HeaderCollector(int cap) {
        this.cap = cap;
    }

    void feed(byte[] b, int offset, int length) {
        for (int i = offset; i < offset + length && !done; i++) {
            byte c = b[i];
            if (bytes.size() >= cap) {
                overflow = true;
                done = true;
                return;
            }
            bytes.write(c);
            if (c == '\n') {
                if (lineStart) done = true; // a bare "\n" line ends the header section too
                lineStart = true;
            } else if (lineStart && c == '\r') {
                // "\r" at the start of a line: the empty line, once its "\n" arrives
            } else {
                lineStart = false;
            }
        }
    }

    /** The header section, or null when it was larger than the cap. */
    byte[] headerSection() {
        return overflow ? null : bytes.toByteArray();
    }
}
