package dev.petrel.mailauth.spf;

/**
 * One {@code directive} of a record: a qualifier and a mechanism.
 *
 * @param text the directive as written in the record, for messages
 */
public record Directive(Qualifier qualifier, Mechanism mechanism, String text) {}
