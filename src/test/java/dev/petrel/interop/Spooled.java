package dev.petrel.interop;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Splits spooled content into the Received header Petrel prepended and the bytes the client sent. */
record Spooled(String received, byte[] original) {

    static Spooled split(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1); // one char per byte
        if (!text.startsWith("Received: ")) {
            throw new AssertionError("spooled content does not start with our Received header:\n" + text);
        }
        int end = text.indexOf("\r\n");
        while (end >= 0 && end + 2 < text.length() && (text.charAt(end + 2) == '\t' || text.charAt(end + 2) == ' ')) {
            end = text.indexOf("\r\n", end + 2);
        }
        if (end < 0) throw new AssertionError("unterminated Received header:\n" + text);
        return new Spooled(new String(content, 0, end + 2, StandardCharsets.UTF_8),
                Arrays.copyOfRange(content, end + 2, content.length));
    }

    /** The protocol keyword after {@code with}, e.g. ESMTPSA (RFC 3848). */
    String withKeyword() {
        var m = java.util.regex.Pattern.compile("\\(Petrel\\) with (\\S+) id ").matcher(received);
        if (!m.find()) throw new AssertionError("no 'with' clause in " + received);
        return m.group(1);
    }

    String originalText() {
        return new String(original, StandardCharsets.UTF_8);
    }
}
