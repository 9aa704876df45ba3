package dev.petrel.dsn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Line shaping for the notice: header folding and text wrapping that keep every line within the
 * RFC 5322 limits (78 octets where words allow, never more than 998) so no relay rewrites or
 * rejects what we send. Lengths are counted in UTF-8 octets, as the limits are.
 */
final class Lines {
    static final String CRLF = "\r\n";
    static final int SOFT = 78;
    private static final int HARD = 998;
    // A word longer than this is cut: with any field name or indent it still stays under HARD.
    private static final int MAX_WORD = 900;

    private Lines() {}

    /**
     * Control characters (CR and LF above all, which would end the field early) become spaces, so a
     * remote reply or an ENVID can never inject a header or break the report's syntax.
     */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? ' ' : c));
        return b.toString().strip();
    }

    /** {@code Name: value} with CRLF after each line, folded at spaces. */
    static String header(String name, String value) {
        List<String> lines = fill(name + ":", false, " ", clean(value), SOFT);
        return String.join(CRLF, lines) + CRLF;
    }

    /** A paragraph of body text, wrapped at {@code width}; continuation lines start with {@code indent}. */
    static List<String> wrap(String text, int width, String indent) {
        return fill("", true, indent, clean(text), width);
    }

    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    static int octets(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Greedy fill: a word goes on the current line when it fits within {@code width}, or when the
     * line has no word yet (a long address is better whole on one line than split).
     */
    private static List<String> fill(String start, boolean startFresh, String continuation, String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(start);
        boolean fresh = startFresh;   // nothing on the line that needs a space before the next word
        boolean hasWord = false;
        // Split at single spaces: an empty word stands for an extra space, kept so that a quoted
        // local part such as "a  b"@example.org survives folding and unfolding unchanged.
        for (String word : text.split(" ", -1)) {
            if (word.isEmpty()) {
                if (!fresh) line.append(' ');
                continue;
            }
            for (String piece : chop(word)) {
                int needed = octets(line) + (fresh ? 0 : 1) + octets(piece);
                if (hasWord && needed > width) {
                    lines.add(line.toString());
                    line = new StringBuilder(continuation);
                    fresh = true;
                }
                if (!fresh) line.append(' ');
                line.append(piece);
                fresh = false;
                hasWord = true;
            }
        }
        lines.add(line.toString());
        return lines;
    }

    /** Cuts a word into pieces of at most MAX_WORD octets, never inside a code point. */
    private static List<String> chop(String word) {
        if (octets(word) <= MAX_WORD) return List.of(word);
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        int size = 0;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int n = octets(Character.toString(cp));
            if (size + n > MAX_WORD) {
                pieces.add(piece.toString());
                piece.setLength(0);
                size = 0;
            }
            piece.appendCodePoint(cp);
            size += n;
            i += Character.charCount(cp);
        }
        pieces.add(piece.toString());
        return pieces;
    }
}
