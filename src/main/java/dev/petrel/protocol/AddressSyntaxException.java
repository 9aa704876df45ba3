package dev.petrel.protocol;

/** An address or parameter that does not follow RFC 5321/6531 syntax; carries the reply to send. */
public final class AddressSyntaxException extends Exception {
    private final transient Reply reply;

    public AddressSyntaxException(Reply reply) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    public Reply reply() {
        return reply;
    }
}
