package dev.petrel.server.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds the server's {@link SSLContext} and hardens the sockets made from it.
 *
 * <p>Call order in the server: once at startup {@link #serverContext}; then for every STARTTLS
 * command (after replying 220) or every accepted port-465 connection, {@link #upgrade}. TLS
 * itself is the JDK's default JSSE provider; BouncyCastle only reads PEM files and makes the
 * self-signed certificate.
 */
public final class TlsContextFactory {
    private static final Logger log = LoggerFactory.getLogger(TlsContextFactory.class);

    /** The only protocols the server speaks: TLS 1.0 and 1.1 are deprecated by RFC 8996. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Cipher suites in the server's order of preference: TLS 1.3's three, then for TLS 1.2 only
     * forward-secret (ECDHE) AEAD suites, as in Mozilla's "intermediate" profile. No CBC (padding
     * oracles), no RSA key exchange (no forward secrecy).
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static final AtomicBoolean selfSignedWarned = new AtomicBoolean();

    private TlsContextFactory() {}

    /**
     * The server's SSL context: from the configured PEM pair, or, when both are null, from the
     * self-signed certificate in {@code <dataDir>/tls} (created if needed; a WARN says so, once).
     *
     * @param certificateOrNull PEM certificate chain ({@code [tls] certificate}), leaf first
     * @param privateKeyOrNull  PEM private key ({@code [tls] private_key})
     * @param dataDir           where the self-signed pair is kept
     * @param hostname          the server's name, put in the self-signed certificate
     * @throws TlsSetupException naming the file and the problem; the server should not start
     */
    public static SSLContext serverContext(Path certificateOrNull, Path privateKeyOrNull, Path dataDir, String hostname) {
        if ((certificateOrNull == null) != (privateKeyOrNull == null)) {
            throw new TlsSetupException("[tls] " + (certificateOrNull == null
                    ? "private_key is set but certificate is not" : "certificate is set but private_key is not")
                    + ": set both, or neither to use a self-signed certificate");
        }
        if (certificateOrNull == null) {
            KeyMaterial selfSigned = SelfSignedCertificate.loadOrCreate(dataDir, hostname);
            if (selfSignedWarned.compareAndSet(false, true)) {
                log.warn("TLS uses a self-signed certificate ({}); clients that verify certificates will refuse it."
                                + " Configure a real one in the [tls] section: certificate = \"/path/to/fullchain.pem\""
                                + " and private_key = \"/path/to/privkey.pem\"",
                        SelfSignedCertificate.certificateFile(dataDir));
            }
            return serverContext(selfSigned);
        }
        KeyMaterial material = KeyMaterial.fromPem(certificateOrNull, privateKeyOrNull);
        X509Certificate leaf = material.certificate();
        if (new Date().after(leaf.getNotAfter())) {
            // Serve it anyway: a stopped MX loses more mail than an expired certificate, since
            // most MX peers do not verify. But the operator has to know.
            log.warn("{}: the certificate expired on {}; renew it", certificateOrNull, leaf.getNotAfter().toInstant());
        }
        return serverContext(material);
    }

    /** An SSL context that presents {@code material}; no client certificates are asked for. */
    public static SSLContext serverContext(KeyMaterial material) {
        try {
            // An in-memory keystore is how JSSE's KeyManagerFactory takes a key and its chain.
            char[] password = new char[0];
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", material.privateKey(), password,
                    material.chain().toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException("cannot build the TLS context: " + e, e);
        }
    }

    /**
     * Restricts {@code socket} to {@link #PROTOCOLS} and {@link #CIPHER_SUITES} (those this JDK
     * supports) and makes the server's cipher order win over the client's.
     */
    public static void hardenServerSocket(SSLSocket socket) {
        socket.setSSLParameters(hardenServerParameters(socket.getSSLParameters(), socket.getSupportedCipherSuites()));
    }

    /** Applies the settings of {@link #hardenServerSocket} to {@code base} and returns it; for SSLEngine users. */
    public static SSLParameters hardenServerParameters(SSLParameters base, String[] supportedCipherSuites) {
        List<String> supported = Arrays.asList(supportedCipherSuites);
        base.setProtocols(PROTOCOLS.toArray(String[]::new));
        base.setCipherSuites(CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
        base.setUseCipherSuitesOrder(true);
        base.setNeedClientAuth(false);
        return base;
    }

    /**
     * Turns an accepted plaintext connection into a server-side TLS connection and runs the
     * handshake. Used for STARTTLS (after the 220 reply is flushed) and for implicit TLS (right
     * after accept). Closing the returned socket closes {@code plain}.
     *
     * <p>The handshake blocks for at most {@code plain}'s SO_TIMEOUT per read, so set that first.
     * Bytes the server already buffered from {@code plain} are not replayed into TLS: for
     * STARTTLS the caller must discard them (RFC 3207 section 4.2; a pipelined command after
     * STARTTLS is an injection attempt, CVE-2011-0411).
     *
     * @throws IOException if the handshake fails, e.g. the client offers only TLS 1.1 or older;
     *                     the socket is then closed
     */
    public static SSLSocket upgrade(SSLContext context, Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        try {
            tls.setUseClientMode(false);
            hardenServerSocket(tls);
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            tls.close();
            throw e;
        }
    }

    /**
     * A client context that trusts exactly the certificates in {@code pemFile} (and no public CA),
     * with full certificate checking: {@code [delivery] ca_file}, like Postfix's
     * {@code smtp_tls_CAfile} without {@code tls_append_default_CA}. Hostname checking is the
     * caller's: set the endpoint identification algorithm on the socket's parameters.
     *
     * @throws TlsSetupException the file holds no certificate or one that cannot be decoded
     */
    public static SSLContext clientContextTrusting(Path pemFile) {
        return clientContextTrusting(KeyMaterial.readCertificates(pemFile).toArray(X509Certificate[]::new));
    }

    /**
     * A client context that trusts exactly {@code trusted} (and no public CA), with full
     * certificate checking: for tests and {@code petrel doctor} talking to a server that uses the
     * self-signed certificate. Hostname checking is the caller's, as above.
     */
    public static SSLContext clientContextTrusting(X509Certificate... trusted) {
        try {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            for (int i = 0; i < trusted.length; i++) trustStore.setCertificateEntry("trusted-" + i, trusted[i]);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a client TLS context: " + e, e);
        }
    }
}
