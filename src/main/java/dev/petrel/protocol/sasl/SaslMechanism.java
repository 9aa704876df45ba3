package dev.petrel.protocol.sasl;

/**
 * A server-side SASL mechanism as used by SMTP AUTH (RFC 4954). Stateless: each AUTH command
 * starts a fresh {@link SaslExchange}.
 */
public interface SaslMechanism {
    /** The IANA name as advertised after {@code AUTH} in EHLO, e.g. {@code PLAIN}. */
    String name();

    /** Starts one authentication exchange. */
    SaslExchange start();
}
