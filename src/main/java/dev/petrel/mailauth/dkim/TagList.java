package dev.petrel.mailauth.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DKIM tag list (RFC 6376 section 3.2): {@code tag=value} pairs separated by semicolons, as in
 * the DKIM-Signature field and the key record. Tag names are case-sensitive; white space
 * (including folding) around names, around the equals sign and around values is dropped, white
 * space inside a value is kept as written (callers that want none, such as base64 values, strip it).
 * A tag that appears twice makes the whole list invalid, as the RFC requires.
 *
 * @param tags the tags in the order written
 */
public record TagList(Map<String, String> tags) {
    /** Thrown when the text is not a valid tag list; the message says why. */
    public static final class SyntaxException extends Exception {
        public SyntaxException(String message) {
            super(message);
        }
    }

    public TagList {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** Parses {@code text}; a trailing semicolon and empty text are allowed. */
    public static TagList parse(String text) throws SyntaxException {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] specs = text.split(";", -1);
        for (int i = 0; i < specs.length; i++) {
            String spec = specs[i];
            if (isWhiteSpace(spec)) {
                // Only the last spec may be empty (a trailing ";"), and an empty text has no tags.
                if (i == specs.length - 1) break;
                throw new SyntaxException("empty tag between semicolons");
            }
            int equals = spec.indexOf('=');
            if (equals < 0) throw new SyntaxException("tag without '=': " + spec.strip());
            String name = stripWhiteSpace(spec.substring(0, equals));
            if (!validName(name)) throw new SyntaxException("invalid tag name: " + name);
            String value = stripWhiteSpace(spec.substring(equals + 1));
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                // tval is VCHAR except ";"; white space (and CRLF of folding) may sit between tvals.
                if (ch < 0x21 && ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n' || ch == 0x7f) {
                    throw new SyntaxException("control character in the value of " + name + "=");
                }
            }
            if (tags.putIfAbsent(name, value) != null) throw new SyntaxException("tag " + name + "= appears twice");
        }
        return new TagList(tags);
    }

    /** The value of {@code name}, or null when absent. */
    public String get(String name) {
        return tags.get(name);
    }

    public boolean has(String name) {
        return tags.containsKey(name);
    }

    /** The value with every white space character (including folding) removed: base64 values, lists. */
    public static String withoutWhiteSpace(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out.append(c);
        }
        return out.toString();
    }

    /** tag-name = ALPHA *ALNUMPUNC (ALNUMPUNC is letters, digits and "_"). */
    private static boolean validName(String name) {
        if (name.isEmpty() || !isAlpha(name.charAt(0))) return false;
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') return false;
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isWhiteSpace(String s) {
        return stripWhiteSpace(s).isEmpty();
    }

    private static String stripWhiteSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isFws(s.charAt(start))) start++;
        while (end > start && isFws(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
