package dev.petrel.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Message tags as the store keeps them: cleaned the way Mailpit cleans them (letters, digits,
 * {@code -}, {@code .}, {@code _} and spaces; anything else is dropped; no empty tag; no two tags
 * that differ only in case), as a JSON array for the API and as {@code ,tag,tag,} in lower case
 * for {@code tag:} searches.
 */
final class Tags {
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-zA-Z0-9\\-._ ]");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_TAGS = 100;
    static final int MAX_LENGTH = 100;

    private Tags() {}

    /** The tags cleaned, in order, without duplicates (the first spelling wins); at most {@link #MAX_TAGS}. */
    static List<String> clean(List<String> tags) {
        Map<String, String> byLower = new LinkedHashMap<>();
        for (String tag : tags) {
            if (tag == null) continue;
            String t = NOT_ALLOWED.matcher(tag).replaceAll("").strip().replaceAll(" {2,}", " ");
            if (t.length() > MAX_LENGTH) t = t.substring(0, MAX_LENGTH).strip();
            if (!t.isEmpty()) byLower.putIfAbsent(t.toLowerCase(Locale.ROOT), t);
            if (byLower.size() == MAX_TAGS) break;
        }
        return List.copyOf(byLower.values());
    }

    static String json(List<String> tags) {
        try {
            return JSON.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }

    static List<String> fromJson(String json) {
        try {
            List<String> out = new ArrayList<>();
            JSON.readTree(json).forEach(n -> out.add(n.asText()));
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the store holds a tags column that is not JSON: " + json, e);
        }
    }

    /** {@code ,a,b,} in lower case, or empty for no tags: {@code tag:a} matches {@code ,a,}. */
    static String searchColumn(List<String> tags) {
        return tags.isEmpty() ? "" : "," + String.join(",", tags).toLowerCase(Locale.ROOT) + ",";
    }
}
