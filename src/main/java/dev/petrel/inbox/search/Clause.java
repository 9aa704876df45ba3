package dev.petrel.inbox.search;

import java.util.Objects;

/** A term, or its negation ({@code -term} or {@code !term}). */
public record Clause(Term term, boolean negated) {
    public Clause {
        Objects.requireNonNull(term, "term");
    }
}
