package dev.petrel.inbox.search;

/** A search query that does not parse; the message is meant for the person who wrote the query. */
public final class QuerySyntaxException extends Exception {
    public QuerySyntaxException(String message) {
        super(message);
    }
}
