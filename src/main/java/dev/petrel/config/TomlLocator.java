package dev.petrel.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the line on which a TOML key or table was written.
 *
 * <p>Jackson's TOML tree keeps no source locations, so this scans the raw text once, tracking
 * {@code [table]} and {@code [[array]]} headers (counting array elements) and recording the line
 * of every {@code key =}. It understands strings (including multi-line ones), comments and
 * brackets well enough not to mistake their contents for headers or keys; it is not a validating
 * parser (Jackson already parsed the text successfully, or reported the syntax error).
 *
 * <p>Paths look like {@code server.max_connections}, {@code listener[1].mode} (0-based element
 * index) and {@code listener[1]} for the header of an array element. Keys inside inline tables are
 * not recorded; lookups fall back to the enclosing key.
 */
final class TomlLocator {
    private final String text;
    private final Map<String, Integer> lines = new LinkedHashMap<>();
    private final Map<String, Integer> arrayCounts = new HashMap<>();
    private int pos;
    private int line = 1;
    private int duplicateLine;

    private TomlLocator(String text) {
        this.text = text;
    }

    static TomlLocator scan(String text) {
        TomlLocator locator = new TomlLocator(text);
        locator.scanAll();
        return locator;
    }

    /**
     * The line of {@code path}; if it was never written out (a default, an implicit table), the
     * line of the first key inside it, else the line of its nearest ancestor; 0 when nothing fits.
     */
    int line(String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            Integer exact = lines.get(p);
            if (exact != null) return exact;
            for (Map.Entry<String, Integer> e : lines.entrySet()) {
                String k = e.getKey();
                if (k.startsWith(p + ".") || k.startsWith(p + "[")) return e.getValue();
            }
        }
        return 0;
    }

    /** The line of the first key written twice in one table, or 0; Jackson reports such errors a line late. */
    int duplicateKeyLine() {
        return duplicateLine;
    }

    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    private void scanAll() {
        String table = "";
        while (pos < text.length()) {
            skipBlank();
            if (pos >= text.length()) break;
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
            } else if (c == '#') {
                skipComment();
            } else if (c == '[') {
                table = header();
            } else {
                List<String> key = keyParts('=');
                if (!key.isEmpty()) {
                    String path = table;
                    for (String part : key) path = join(path, part);
                    record(path);
                }
                skipValue();
            }
        }
    }

    /** Parses {@code [a.b]} or {@code [[a.b]]} and returns the path of the table it opens. */
    private String header() {
        boolean array = text.startsWith("[[", pos);
        pos += array ? 2 : 1;
        List<String> parts = keyParts(']');
        pos += array && text.startsWith("]]", pos) ? 2 : (pos < text.length() && text.charAt(pos) == ']' ? 1 : 0);
        String path = "";
        for (int i = 0; i < parts.size(); i++) {
            path = join(path, parts.get(i));
            boolean last = i == parts.size() - 1;
            if (array && last) {
                int n = arrayCounts.merge(path, 1, Integer::sum);
                path = path + "[" + (n - 1) + "]";
            } else if (arrayCounts.containsKey(path)) {
                // [listener.tls] after [[listener]] belongs to the latest element.
                path = path + "[" + (arrayCounts.get(path) - 1) + "]";
            }
        }
        record(path);
        return path;
    }

    private void record(String path) {
        if (lines.putIfAbsent(path, line) != null && duplicateLine == 0) duplicateLine = line;
    }

    /** Reads a dotted key (bare or quoted parts) up to {@code end}, which it leaves unread. */
    private List<String> keyParts(char end) {
        List<String> parts = new ArrayList<>();
        while (pos < text.length()) {
            skipBlank();
            if (pos >= text.length()) break;
            char c = text.charAt(pos);
            if (c == end || c == '\n') break;
            if (c == '.') {
                pos++;
            } else if (c == '"' || c == '\'') {
                parts.add(quotedKey(c));
            } else {
                int start = pos;
                while (pos < text.length() && isBareKeyChar(text.charAt(pos))) pos++;
                if (pos == start) {
                    pos++; // not a key at all; let skipValue() resynchronise at the end of the line
                    return List.of();
                }
                parts.add(text.substring(start, pos));
            }
        }
        return parts;
    }

    private String quotedKey(char quote) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != quote && text.charAt(pos) != '\n') {
            char c = text.charAt(pos++);
            if (c == '\\' && quote == '"' && pos < text.length()) c = text.charAt(pos++);
            sb.append(c);
        }
        if (pos < text.length() && text.charAt(pos) == quote) pos++;
        return sb.toString();
    }

    /** Skips a value to the end of its logical line: through strings, arrays and inline tables. */
    private void skipValue() {
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                if (depth == 0) return;
                pos++;
                line++;
            } else if (c == '#') {
                skipComment();
            } else if (c == '"' || c == '\'') {
                skipString(c);
            } else {
                if (c == '[' || c == '{') depth++;
                if (c == ']' || c == '}') depth = Math.max(0, depth - 1);
                pos++;
            }
        }
    }

    private void skipString(char quote) {
        String triple = String.valueOf(quote).repeat(3);
        boolean multi = text.startsWith(triple, pos);
        pos += multi ? 3 : 1;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && quote == '"') {
                pos += 2;
                if (pos <= text.length() && text.charAt(pos - 1) == '\n') line++;
                continue;
            }
            if (multi && text.startsWith(triple, pos)) {
                pos += 3;
                // A multi-line string may end with up to two extra quotes: """a"""""
                while (pos < text.length() && text.charAt(pos) == quote) pos++;
                return;
            }
            if (!multi && c == quote) {
                pos++;
                return;
            }
            if (c == '\n') {
                if (!multi) return; // unterminated; Jackson would have refused it anyway
                line++;
            }
            pos++;
        }
    }

    private void skipComment() {
        while (pos < text.length() && text.charAt(pos) != '\n') pos++;
    }

    private void skipBlank() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\r') return;
            pos++;
        }
    }

    private static boolean isBareKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String join(String path, String part) {
        return path.isEmpty() ? part : path + "." + part;
    }
}
