package dev.petrel.inbox;

import dev.petrel.inbox.search.Clause;
import dev.petrel.inbox.search.SearchQuery;
import dev.petrel.inbox.search.Term;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Compiles a {@link SearchQuery} to a SQL condition over the {@code messages} table (see
 * {@link Schema}). Text columns ending in {@code _lc} hold lowercase text, and query values are
 * lowercase too, so {@code instr} gives a case-insensitive "contains" that, unlike SQLite's LIKE,
 * also folds non-ASCII letters and needs no escaping of % and _.
 */
final class SearchSql {
    /** A condition and its parameters, in order. */
    record Condition(String sql, List<Object> parameters) {
    }

    private SearchSql() {
    }

    static Condition where(SearchQuery query) {
        if (query.isEmpty()) return new Condition("1", List.of());
        List<String> parts = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (Clause clause : query.clauses()) {
            String condition = condition(clause.term(), parameters);
            parts.add(clause.negated() ? "NOT (" + condition + ")" : "(" + condition + ")");
        }
        // Not List.copyOf: a parameter may be SQL NULL (header: without a value).
        return new Condition(String.join(" AND ", parts), Collections.unmodifiableList(parameters));
    }

    private static String condition(Term term, List<Object> p) {
        return switch (term) {
            case Term.Text t -> contains("text_lc", t.value(), p);
            case Term.Field f -> contains(column(f.field()), f.value(), p);
            case Term.Header h -> {
                p.add(h.name());
                p.add(h.valueOrNull());
                yield Schema.HEADER_MATCH_FUNCTION + "(headers_lc, ?, ?)";
            }
            case Term.Tag t -> {
                p.add("," + t.name() + ",");
                yield "instr(tags_lc, ?) > 0";
            }
            case Term.Inbox i -> {
                p.add(i.name());
                yield "inbox = ?";
            }
            case Term.Has h -> switch (h.feature()) {
                case ATTACHMENT -> "attachments > 0";
                case INLINE -> "inline_count > 0";
            };
            case Term.Read r -> r.read() ? "read = 1" : "read = 0";
            case Term.ReceivedAfter a -> {
                p.add(a.instant().toEpochMilli());
                yield "received >= ?";
            }
            case Term.ReceivedBefore b -> {
                p.add(b.instant().toEpochMilli());
                yield "received < ?";
            }
            case Term.Size s -> {
                p.add(s.bytes());
                yield s.larger() ? "size > ?" : "size < ?";
            }
        };
    }

    private static String contains(String column, String value, List<Object> p) {
        p.add(value);
        return "instr(" + column + ", ?) > 0";
    }

    private static String column(Term.FieldName field) {
        return switch (field) {
            case FROM -> "from_lc";
            case TO -> "to_lc";
            case CC -> "cc_lc";
            case BCC -> "bcc_lc";
            case REPLY_TO -> "replyto_lc";
            case SUBJECT -> "subject_lc";
            case MESSAGE_ID -> "msgid_lc";
            case RCPT -> "rcpt_lc";
            case MAIL_FROM -> "mailfrom_lc";
        };
    }
}
