package dev.petrel.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Counts the {@code Received:} header fields of a message as its content streams by (RFC 5321
 * section 6.3: a message that has passed through too many hosts is in a loop). Only the header
 * section is looked at; counting stops at the first empty line.
 */
final class HopCounter {
    private static final byte[] RECEIVED = "received:".getBytes(StandardCharsets.US_ASCII);

    private boolean inHeaders = true;
    private boolean lineStart = true;
    private int matched = -1; // bytes of "received:" matched at the start of this line; -1 = no match
    private int hops;

    void feed(byte[] b, int offset, int length) {
        for (int i = offset; i < offset + length && inHeaders; i++) {
            byte c = b[i];
            if (c == '\n') {
                lineStart = true;
                matched = -1;
                continue;
            }
            if (lineStart) {
                lineStart = false;
                if (c == '\r') {
                    inHeaders = false; // the empty line that ends the header section
                    continue;
                }
                matched = 0;
            }
            if (matched >= 0) {
                if (Character.toLowerCase((char) (c & 0xff)) == RECEIVED[matched]) {
                    matched++;
                    if (matched == RECEIVED.length) {
                        hops++;
                        matched = -1;
                    }
                } else {
                    matched = -1;
                }
            }
        }
    }

    int hops() {
        return hops;
    }
}
