package dev.petrel.junit;

/**
 * Writes values into the inbox's search language (docs/inbox-api.md): {@code operator:"value"}, with a
 * double quote inside written as {@code \"}. The parser has no escape for a backslash itself, so a value
 * ending in a backslash is written unquoted, which works only when it holds no space or quote.
 */
final class QueryText {
    private QueryText() {}

    /** {@code operator:"value"}, e.g. {@code subject:"Welcome aboard"}. */
    static String term(String operator, String value) {
        return operator + ":" + quote(value);
    }

    static String quote(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a search value must not be empty or blank");
        }
        if (value.endsWith("\\")) {
            // "abc\" would read as an escaped quote; unquoted, the backslash is literal.
            if (value.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"')) {
                throw new IllegalArgumentException("cannot search for '" + value + "': the inbox's query language cannot express"
                        + " a value that ends in a backslash and contains a space or a double quote");
            }
            return value;
        }
        return '"' + value.replace("\"", "\\\"") + '"';
    }
}
