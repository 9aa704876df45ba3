package dev.petrel.message;

/**
 * Text a client chose (a HELO name, a user name, an address) made safe to put into a log line or a
 * header: control characters (C0, DEL, C1: what could end a line or steer a terminal) become '?'.
 */
public final class ClientText {
    private ClientText() {}

    public static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }

    /** {@link #printable}, cut to {@code max} characters with "..." after a cut. */
    public static String printable(String s, int max) {
        String clean = printable(s);
        return clean.length() > max ? clean.substring(0, max) + "..." : clean;
    }
}
