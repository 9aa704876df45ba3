package dev.petrel.dsn;

/**
 * The per-recipient action of a delivery status notification (RFC 3464 section 2.3.3). Which
 * notices a recipient asked for is {@link NotifyPolicy}'s business; this only names them.
 */
public enum Action {
    /** Given up: a permanent failure, or a temporary one that outlived the queue lifetime. */
    FAILED("failed"),
    /** Not delivered yet, still being retried. */
    DELAYED("delayed"),
    /** Delivered to the final mailbox (local delivery, or a remote that accepted it with DSN). */
    DELIVERED("delivered"),
    /** Handed on to a server that does not support DSN, so no further notice can come from it. */
    RELAYED("relayed");

    private final String fieldValue;

    Action(String fieldValue) {
        this.fieldValue = fieldValue;
    }

    /** The value written in the {@code Action:} field, e.g. {@code failed}. */
    public String fieldValue() {
        return fieldValue;
    }
}
