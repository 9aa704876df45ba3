package dev.petrel.inbox.search;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A parsed search: every clause must hold. An empty query matches every message (the API refuses an
 * empty query where that would be dangerous, such as delete by search).
 *
 * @param text    the query as written, for messages and logs
 * @param clauses the conditions, in the order written
 */
public record SearchQuery(String text, List<Clause> clauses) {
    public static final SearchQuery ALL = new SearchQuery("", List.of());

    public SearchQuery {
        text = text == null ? "" : text;
        clauses = List.copyOf(clauses);
    }

    /** Parses {@code text}, reading dates without an offset in UTC. */
    public static SearchQuery parse(String text) throws QuerySyntaxException {
        return parse(text, ZoneOffset.UTC);
    }

    /** Parses {@code text}, reading dates without an offset in {@code zone}. */
    public static SearchQuery parse(String text, ZoneId zone) throws QuerySyntaxException {
        return new SearchQuery(text, new QueryParser(text, zone).parse());
    }

    public boolean isEmpty() {
        return clauses.isEmpty();
    }

    /** This query with one more clause, ANDed. */
    public SearchQuery and(Clause clause) {
        List<Clause> more = new java.util.ArrayList<>(clauses);
        more.add(clause);
        return new SearchQuery(text, more);
    }
}
