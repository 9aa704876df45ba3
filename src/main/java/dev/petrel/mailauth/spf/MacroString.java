package dev.petrel.mailauth.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed {@code macro-string} of RFC 7208 section 7: literal text and macros such as
 * {@code %{ir}} or {@code %{l2r-}}, validated when parsed so that expansion cannot fail.
 *
 * <p>Three flavours, by where the text comes from: a {@code domain-spec} (mechanism and
 * {@code redirect}/{@code exp} targets: no spaces, must end in a dot and a top label or in a macro,
 * no {@code c r t} letters), an explanation ({@code exp} TXT text: spaces and {@code c r t}
 * allowed) and an unknown modifier's value (any macro-string; it is ignored, but must parse).
 *
 * @param text  the source text, as written
 * @param parts the literals and macros, in order
 */
public record MacroString(String text, List<Part> parts) {
    public MacroString {
        parts = List.copyOf(parts);
    }

    /** One piece of a macro string. */
    public sealed interface Part {}

    /** Text copied as is ({@code %%}, {@code %_} and {@code %-} are already turned into {@code % }, space and {@code %20}). */
    public record Literal(String text) implements Part {}

    /**
     * {@code %{letter digits r delimiters}}.
     *
     * @param letter     the macro letter, lower case
     * @param urlEscape  true when the letter was written in upper case (section 7.3: URL-escape the result)
     * @param keep       how many right-hand parts to keep, 0 for all
     * @param reverse    the {@code r} transformer
     * @param delimiters the characters to split on; empty means "."
     */
    public record Macro(char letter, boolean urlEscape, int keep, boolean reverse, String delimiters) implements Part {}

    /** Gives the value of a macro letter ({@code s l o d i p v h c r t}) during one expansion. */
    @FunctionalInterface
    public interface Values {
        String of(char letter);
    }

    private static final String LETTERS = "slodipvh";
    private static final String EXPLANATION_ONLY_LETTERS = "crt";
    private static final String DELIMITERS = ".-+,/_=";

    /** A {@code domain-spec}: a macro-string that ends in "." top-label [ "." ] or in a macro. */
    public static MacroString parseDomainSpec(String text) throws SpfSyntaxException {
        if (text.isEmpty()) throw new SpfSyntaxException("a domain is missing");
        MacroString spec = parse(text, false, false);
        Part last = spec.parts.isEmpty() ? null : spec.parts.getLast();
        // The grammar's domain-end: a macro-expand (%{..}, %%, %_, %-) or "." toplabel [ "." ].
        if (text.endsWith("}") && last instanceof Macro) return spec;
        if (text.endsWith("%%") || text.endsWith("%_") || text.endsWith("%-")) {
            if (endsWithEscape(text)) return spec;
        }
        String trailing = last instanceof Literal literal ? literal.text() : "";
        String body = trailing.endsWith(".") ? trailing.substring(0, trailing.length() - 1) : trailing;
        int dot = body.lastIndexOf('.');
        if (dot < 0 || !isTopLabel(body.substring(dot + 1))) {
            throw new SpfSyntaxException("'" + text + "' is not a domain: it must end in a dot and a top-level label "
                    + "(letters, digits and inner hyphens, not all digits) or in a macro");
        }
        return spec;
    }

    /** The explanation text of an {@code exp} TXT record (section 6.2): a macro-string with spaces, c r t allowed. */
    public static MacroString parseExplanation(String text) throws SpfSyntaxException {
        return parse(text, true, true);
    }

    /** The value of a modifier Petrel does not know (section 6: ignored, but it must be a macro-string). */
    public static MacroString parseModifierValue(String text) throws SpfSyntaxException {
        return parse(text, false, true);
    }

    /** Expands every macro with {@code values} (section 7.3); the result is not truncated or checked. */
    public String expand(Values values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal literal -> out.append(literal.text());
                case Macro macro -> out.append(expand(macro, values.of(macro.letter())));
            }
        }
        return out.toString();
    }

    private static String expand(Macro macro, String value) {
        String v = value;
        if (macro.keep() > 0 || macro.reverse() || !macro.delimiters().isEmpty()) {
            String delimiters = macro.delimiters().isEmpty() ? "." : macro.delimiters();
            List<String> pieces = split(v, delimiters);
            if (macro.reverse()) Collections.reverse(pieces);
            if (macro.keep() > 0 && macro.keep() < pieces.size()) {
                pieces = pieces.subList(pieces.size() - macro.keep(), pieces.size());
            }
            v = String.join(".", pieces);
        }
        return macro.urlEscape() ? urlEscape(v) : v;
    }

    /** Splits on any of {@code delimiters}, keeping empty pieces. */
    private static List<String> split(String value, String delimiters) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                pieces.add(value.substring(start, i));
                start = i + 1;
            }
        }
        pieces.add(value.substring(start));
        return pieces;
    }

    /** RFC 3986 percent-encoding of every octet outside the unreserved set (ALPHA DIGIT - . _ ~). */
    static String urlEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) out.append((char) c);
            else out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        }
        return out.toString();
    }

    private static MacroString parse(String text, boolean spacesAllowed, boolean allLetters) throws SpfSyntaxException {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 1 >= text.length()) {
                    throw new SpfSyntaxException("'" + text + "' ends in a lone '%' (write %% for a percent sign)");
                }
                char next = text.charAt(i + 1);
                switch (next) {
                    case '%' -> literal.append('%');
                    case '_' -> literal.append(' ');
                    case '-' -> literal.append("%20");
                    case '{' -> {
                        int close = text.indexOf('}', i + 2);
                        if (close < 0) throw new SpfSyntaxException("'" + text + "' has an unclosed macro '" + text.substring(i) + "'");
                        if (!literal.isEmpty()) {
                            parts.add(new Literal(literal.toString()));
                            literal.setLength(0);
                        }
                        parts.add(macro(text.substring(i, close + 1), allLetters));
                        i = close + 1;
                        continue;
                    }
                    default -> throw new SpfSyntaxException("'" + text + "' has an invalid macro '%" + next
                            + "': a '%' must be followed by '{', '%', '_' or '-'");
                }
                i += 2;
                continue;
            }
            if (c == ' ' && spacesAllowed) {
                literal.append(c);
            } else if (c < 0x21 || c > 0x7e) {
                throw new SpfSyntaxException(String.format("'%s' has the character U+%04X, which is not allowed there "
                        + "(only visible US-ASCII)", text, (int) c));
            } else {
                literal.append(c);
            }
            i++;
        }
        if (!literal.isEmpty()) parts.add(new Literal(literal.toString()));
        return new MacroString(text, parts);
    }

    /** Parses {@code %{...}} (the braces included). */
    private static Macro macro(String source, boolean allLetters) throws SpfSyntaxException {
        String inner = source.substring(2, source.length() - 1);
        if (inner.isEmpty()) throw new SpfSyntaxException("empty macro '" + source + "'");
        char written = inner.charAt(0);
        char letter = Character.toLowerCase(written);
        if (LETTERS.indexOf(letter) < 0 && EXPLANATION_ONLY_LETTERS.indexOf(letter) < 0) {
            throw new SpfSyntaxException("unknown macro letter in '" + source + "' (RFC 7208 7.2: s l o d i p v h, "
                    + "and c r t in explanations)");
        }
        if (!allLetters && EXPLANATION_ONLY_LETTERS.indexOf(letter) >= 0) {
            throw new SpfSyntaxException("macro '" + source + "' is allowed only in explanation text (RFC 7208 7.2)");
        }
        int i = 1;
        int digitsStart = i;
        while (i < inner.length() && inner.charAt(i) >= '0' && inner.charAt(i) <= '9') i++;
        int keep = 0;
        if (i > digitsStart) {
            String digits = inner.substring(digitsStart, i);
            String significant = digits.replaceFirst("^0+", "");
            if (significant.isEmpty()) throw new SpfSyntaxException("macro '" + source + "' keeps zero parts; the number must be nonzero");
            // More parts than any name has means "all of them" (section 7.3); cap to avoid overflow.
            keep = significant.length() > 3 ? 999 : Integer.parseInt(significant);
        }
        boolean reverse = false;
        if (i < inner.length() && (inner.charAt(i) == 'r' || inner.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = inner.substring(i);
        for (int k = 0; k < delimiters.length(); k++) {
            if (DELIMITERS.indexOf(delimiters.charAt(k)) < 0) {
                throw new SpfSyntaxException("macro '" + source + "' has '" + delimiters.charAt(k)
                        + "' where a delimiter (. - + , / _ =) or '}' belongs");
            }
        }
        return new Macro(letter, Character.isUpperCase(written), keep, reverse, delimiters);
    }

    /** True when the text ends in a whole %%, %_ or %- escape (not the tail of "%%_" and the like). */
    private static boolean endsWithEscape(String text) {
        int percents = 0;
        for (int i = text.length() - 2; i >= 0 && text.charAt(i) == '%'; i--) percents++;
        char lastChar = text.charAt(text.length() - 1);
        // "...%%" : the run of '%' must be even; "...%_" or "...%-": the run before '_'/'-' must be odd.
        return lastChar == '%' ? (percents + 1) % 2 == 0 : percents % 2 == 1;
    }

    /** toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ). */
    static boolean isTopLabel(String label) {
        if (label.isEmpty()) return false;
        boolean letter = false;
        boolean hyphen = false;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c == '-') hyphen = true;
            else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letter = true;
            else if (c < '0' || c > '9') return false;
        }
        return isAlnum(label.charAt(0)) && isAlnum(label.charAt(label.length() - 1)) && (letter || hyphen);
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return text;
    }
}
