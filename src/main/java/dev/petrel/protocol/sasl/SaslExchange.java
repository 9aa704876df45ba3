package dev.petrel.protocol.sasl;

/**
 * One running authentication exchange. The SMTP session calls {@link #respond} first with the
 * initial response of the AUTH command (or null when the client gave none), then with each
 * base64-decoded line the client sends after a 334 challenge. The exchange ends when it returns
 * {@link SaslStep.Success} or {@link SaslStep.Failure}; it is not called again after that.
 * A client line of {@code *} (cancel) is handled by the session and never reaches the exchange.
 */
public interface SaslExchange {
    SaslStep respond(byte[] clientData);
}
