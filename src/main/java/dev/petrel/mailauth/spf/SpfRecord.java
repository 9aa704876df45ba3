package dev.petrel.mailauth.spf;

import java.util.List;

/**
 * A parsed SPF record (RFC 7208 section 4.6): its directives in order, and the two modifiers
 * Petrel acts on. Unknown modifiers are checked for syntax and dropped (section 6).
 *
 * @param directives  the mechanisms with their qualifiers, evaluated left to right
 * @param redirect    the {@code redirect=} domain-spec, or null
 * @param explanation the {@code exp=} domain-spec, or null
 */
public record SpfRecord(List<Directive> directives, MacroString redirect, MacroString explanation) {
    public SpfRecord {
        directives = List.copyOf(directives);
    }
}
