package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Typed reads from one TOML table. Every read names a key as known (so that {@link #rejectUnknown}
 * can tell typos from real keys) and, when the value is wrong, records a problem with its line and
 * returns the default so that reading goes on and all problems are reported together.
 */
final class Section {
    private final ObjectNode table;
    private final String path;
    private final String label;
    private final String displayName;
    private final TomlLocator locator;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();
    private final Set<String> wrong = new LinkedHashSet<>();

    /**
     * @param path        the locator path of the table: {@code smtp}, {@code listener[1]}
     * @param label       what goes before a key in messages: {@code smtp.}, {@code [[listener]] #2: }
     * @param displayName how messages name the table: {@code [smtp]}, {@code [[listener]] #2}
     */
    Section(ObjectNode table, String path, String label, String displayName, TomlLocator locator, Problems problems) {
        this.table = table;
        this.path = path;
        this.label = label;
        this.displayName = displayName;
        this.locator = locator;
        this.problems = problems;
    }

    /** The locator path of this table, such as {@code smtp} or {@code listener[1]}. */
    String path() {
        return path;
    }

    /** How messages name this table, such as {@code [smtp]} or {@code [[listener]] #2}. */
    String displayName() {
        return displayName;
    }

    static ObjectNode emptyTable() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Marks {@code key} as known and returns its value, or null when absent. */
    JsonNode take(String key) {
        known.add(key);
        return table.get(key);
    }

    boolean has(String key) {
        return table.has(key);
    }

    int line(String key) {
        return locator.line(path + "." + key);
    }

    /** Records {@code <label><key> = <value> <why>}, e.g. {@code smtp.max_errors = 0 is out of range; ...}. */
    void invalid(String key, JsonNode value, String why) {
        wrong.add(key);
        problems.add(line(key), label + key + " = " + value + " " + why);
    }

    /** False once a problem was recorded for {@code key}: rules across keys skip it, rather than blame its stand-in default. */
    boolean valid(String key) {
        return !wrong.contains(key);
    }

    int integer(String key, int fallback, int min, int max) {
        JsonNode v = take(key);
        if (v == null) return fallback;
        if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= min && v.intValue() <= max) return v.intValue();
        invalid(key, v, "is not valid; use a whole number from " + min + " to " + max);
        return fallback;
    }

    String string(String key, String fallback) {
        JsonNode v = take(key);
        if (v == null) return fallback;
        if (v.isTextual()) return v.textValue();
        invalid(key, v, "is not valid; use a quoted string");
        return fallback;
    }

    /** An integer number of octets or a string with a unit; must be at least 1. */
    long size(String key, long fallback) {
        return unit(key, fallback, JsonNode::longValue, Units::parseSize, n -> n > 0, "must be at least 1 octet", Units.SIZE_HINT);
    }

    /** An integer number of seconds or a string with a unit. */
    Duration duration(String key, Duration fallback, boolean zeroAllowed) {
        return unit(key, fallback, v -> Duration.ofSeconds(v.longValue()), Units::parseDuration,
                d -> zeroAllowed ? !d.isNegative() : d.isPositive(),
                zeroAllowed ? "must not be negative" : "must be longer than zero", Units.DURATION_HINT);
    }

    private <T> T unit(String key, T fallback, Function<JsonNode, T> fromNumber, Function<String, T> fromText,
                       Predicate<T> inRange, String rangeText, String hint) {
        JsonNode v = take(key);
        if (v == null) return fallback;
        T value;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            value = fromNumber.apply(v);
        } else if (v.isTextual()) {
            try {
                value = fromText.apply(v.textValue());
            } catch (IllegalArgumentException e) {
                invalid(key, v, e.getMessage());
                return fallback;
            }
        } else {
            invalid(key, v, "is not valid; " + hint);
            return fallback;
        }
        if (inRange.test(value)) return value;
        invalid(key, v, "is out of range: it " + rangeText);
        return fallback;
    }

    /** One of the enum's constants, written in lower case: {@code "normalize"}. */
    <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) {
        JsonNode v = take(key);
        if (v == null) return fallback;
        if (v.isTextual()) {
            for (E e : type.getEnumConstants()) {
                if (e.name().toLowerCase(Locale.ROOT).equals(v.textValue())) return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) names.add("\"" + e.name().toLowerCase(Locale.ROOT) + "\"");
        invalid(key, v, "is not valid; use " + oneOf(names));
        return fallback;
    }

    /** An array of strings; {@code null} elements never appear, wrong ones are reported. */
    List<String> strings(String key, List<String> fallback) {
        JsonNode v = take(key);
        if (v == null) return fallback;
        if (!v.isArray()) {
            invalid(key, v, "is not valid; use an array of quoted strings, such as [\"a\", \"b\"]");
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (e.isTextual()) {
                out.add(e.textValue());
            } else {
                invalid(key, v, "is not valid: element " + e + " is not a quoted string");
                return fallback;
            }
        }
        return out;
    }

    /** A path, resolved against {@code baseDir} when relative. */
    Path path(String key, Path fallback, Path baseDir) {
        JsonNode v = take(key);
        if (v == null) return fallback;
        if (v.isTextual() && !v.textValue().isBlank()) {
            try {
                return baseDir.resolve(v.textValue()).normalize();
            } catch (InvalidPathException e) {
                invalid(key, v, "is not a valid path: " + e.getReason());
                return fallback;
            }
        }
        invalid(key, v, "is not valid; use a quoted file path, relative to the configuration file's directory or absolute");
        return fallback;
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = take(key);
        if (v == null) return fallback;
        if (v.isBoolean()) return v.booleanValue();
        invalid(key, v, "is not valid; use true or false (without quotes)");
        return fallback;
    }

    /**
     * A string that may be a secret: problems name the key but never show the value, so a
     * password cannot end up in a terminal, a log or a bug report.
     */
    String secret(String key) {
        JsonNode v = take(key);
        if (v == null) return null;
        if (v.isTextual() && !v.textValue().isEmpty()) return v.textValue();
        problem(key, label + key + " is not valid; use a non-empty quoted string (the value is not shown here)");
        return null;
    }

    /** The nested table {@code [<path>.<key>]}, or null when it is absent or not a table (reported). */
    Section table(String key) {
        JsonNode v = take(key);
        if (v == null) return null;
        String sub = path + "." + key;
        if (!v.isObject()) {
            problem(key, sub + " must be a table; write [" + sub + "] on a line of its own with its keys below it");
            return null;
        }
        return new Section((ObjectNode) v, sub, sub + ".", "[" + sub + "]", locator, problems);
    }

    /** The elements of the array of tables {@code [[<path>.<key>]]}, in file order; empty when absent. */
    List<Section> tables(String key) {
        JsonNode v = take(key);
        if (v == null) return List.of();
        String sub = path + "." + key;
        if (!v.isArray()) {
            problem(key, sub + " must be an array of tables; write each one as a [[" + sub + "]] table (double brackets)");
            return List.of();
        }
        List<Section> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String display = "[[" + sub + "]] #" + (i + 1);
            if (v.get(i) instanceof ObjectNode element) {
                out.add(new Section(element, sub + "[" + i + "]", display + ": ", display, locator, problems));
            } else {
                problems.add(locator.line(sub + "[" + i + "]"), display + " is not a table; write it as a [[" + sub + "]] table");
            }
        }
        return out;
    }

    /** The keys written in this table, in file order (for tables whose keys are names, like aliases). */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        table.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Records a problem on the line of the table's header (or its first key). */
    void problem(String text) {
        problems.add(locator.line(path), text);
    }

    /** Records a problem on the line of {@code key}. */
    void problem(String key, String text) {
        wrong.add(key);
        problems.add(line(key), text);
    }

    /** Reports every key in the table that no read asked for, suggesting the closest known key. */
    void rejectUnknown() {
        for (Iterator<String> it = table.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (known.contains(key)) continue;
            String suggestion = Spelling.closest(key, known).map(k -> "; did you mean '" + k + "'?").orElse("");
            problems.add(line(key), "unknown key '" + key + "' in " + displayName + suggestion
                    + " (known keys: " + String.join(", ", known) + ")");
        }
    }

    static String oneOf(List<String> options) {
        if (options.size() == 1) return options.getFirst();
        return String.join(", ", options.subList(0, options.size() - 1)) + " or " + options.getLast();
    }
}
