/**
 * TLS for Petrel's SMTP listeners: the server's {@link javax.net.ssl.SSLContext}, and turning an
 * accepted socket into a hardened TLS socket for STARTTLS (RFC 3207) and implicit TLS on port 465
 * (RFC 8314).
 *
 * <p>Does:
 * <ul>
 *   <li>load the configured PEM certificate chain and private key ({@link KeyMaterial#fromPem}),
 *       with errors that name the file and the fix;</li>
 *   <li>otherwise generate and reuse a self-signed EC P-256 certificate in
 *       {@code <dataDir>/tls} ({@link SelfSignedCertificate}), logging one WARN that it is in use;</li>
 *   <li>restrict every server socket to TLS 1.3 and 1.2 with forward-secret AEAD ciphers, in the
 *       server's order ({@link TlsContextFactory#hardenServerSocket});</li>
 *   <li>upgrade a plain socket and run the handshake ({@link TlsContextFactory#upgrade}).</li>
 * </ul>
 *
 * <p>Does not: speak SMTP (the server decides when to upgrade, and must discard any plaintext it
 * buffered before STARTTLS), ask for client certificates, reload certificates while running (a
 * config reload builds a new context), obtain certificates (no ACME), or do outbound TLS policy
 * (MTA-STS and DANE belong to {@code delivery.smtp}). TLS itself is the JDK's default JSSE
 * provider; BouncyCastle is only used to read PEM and to build the self-signed certificate, and
 * is never registered as a JCA or JSSE provider.
 *
 * <p>Trade-off: the strict cipher list means a very old MX peer that offers only CBC or RSA key
 * exchange cannot negotiate TLS; such peers normally retry in plaintext, which is what they would
 * get from a server without STARTTLS anyway.
 *
 * <p>Threading: {@link javax.net.ssl.SSLContext} is thread-safe; build it once and share it among
 * all connections. {@link TlsContextFactory#upgrade} blocks the calling (virtual) thread for the
 * handshake, bounded by the socket's SO_TIMEOUT.
 *
 * <p>Failure modes: setup problems throw {@link TlsSetupException} (the server should refuse to
 * start and print the message); a failed handshake throws {@link java.io.IOException} from
 * {@code upgrade} and closes the connection.
 */
package dev.petrel.server.tls;
