package dev.petrel.protocol;

import java.io.ByteArrayOutputStream;

/**
 * Frames message content for the DATA command (RFC 5321 section 4.5.2): a line starting with
 * '.' gets a second '.', the content ends with CRLF, and {@code .CRLF} follows.
 *
 * <p>Every line break is written as CRLF: a bare CR, a bare LF, or CR followed by anything but LF
 * becomes CRLF. A stray CR or LF is never emitted, because receivers disagree on what it means
 * (the root of SMTP smuggling, CVE-2023-51764 and friends). Content from Petrel's own spool is
 * already CRLF-clean; this is the last line of defence.
 */
public final class DotStuffer {
    private DotStuffer() {}

    /** The bytes to send after the 354 reply: stuffed content, then {@code .CRLF}. */
    public static byte[] encode(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 64 + 8);
        boolean lineStart = true;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == '\r' || b == '\n') {
                if (b == '\r' && i + 1 < content.length && content[i + 1] == '\n') i++;
                out.write('\r');
                out.write('\n');
                lineStart = true;
                continue;
            }
            if (lineStart && b == '.') out.write('.');
            out.write(b);
            lineStart = false;
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
