package dev.petrel.message;

import java.util.Objects;
import java.util.Set;

/**
 * One envelope recipient with the DSN parameters given on its RCPT command (RFC 3461).
 *
 * @param address the forward-path
 * @param notifyOn the NOTIFY values; empty when the client gave none (the default then applies:
 *                failure and delay notices, RFC 3461 section 4.1)
 * @param orcpt   the ORCPT parameter as sent, {@code addr-type;xtext-decoded-address}, or null
 */
public record Recipient(MailAddress address, Set<Notify> notifyOn, String orcpt) {
    public Recipient {
        Objects.requireNonNull(address, "address");
        notifyOn = Set.copyOf(notifyOn);
        if (notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other values");
        }
    }

    public static Recipient of(MailAddress address) {
        return new Recipient(address, Set.of(), null);
    }

    /** DSN NOTIFY values of RFC 3461 section 4.1. */
    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }
}
