/**
 * The inbox search language: a parser from query text to a {@link dev.petrel.inbox.search.SearchQuery}
 * (a list of terms, each possibly negated, all of which must hold). Pure: no storage, no SQL, no
 * clock (dates are resolved against a time zone given by the caller). Malformed queries fail with a
 * {@link dev.petrel.inbox.search.QuerySyntaxException} whose message says what is wrong and how to
 * write it; the HTTP API answers 400 with that text.
 *
 * <p>The language follows Mailpit's search filters (so people and tools can reuse their queries),
 * plus {@code header:}, {@code inbox:}, {@code rcpt:} and {@code mailfrom:}. It does not do OR or
 * grouping: terms are joined by AND, like Mailpit.
 */
package dev.petrel.inbox.search;
