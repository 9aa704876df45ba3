package dev.petrel.protocol;

/** xtext of RFC 3461 section 4: printable ASCII except '+' and '=', with {@code +XX} hex escapes. */
public final class Xtext {
    private Xtext() {}

    /** Decodes xtext; throws when it is malformed. */
    public static String decode(String s) throws AddressSyntaxException {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                if (i + 2 >= s.length()) {
                    throw new AddressSyntaxException(Replies.badParameter("Bad xtext: incomplete +XX escape"));
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0 || !isUpperHex(s.charAt(i + 1)) || !isUpperHex(s.charAt(i + 2))) {
                    throw new AddressSyntaxException(Replies.badParameter("Bad xtext: +XX needs two uppercase hex digits"));
                }
                out.append((char) (hi * 16 + lo));
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                throw new AddressSyntaxException(Replies.badParameter("Bad xtext: character not allowed"));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Encodes a string as xtext (for writing DSN fields back out). */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                out.append('+').append(String.format("%02X", (int) c & 0xff));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
