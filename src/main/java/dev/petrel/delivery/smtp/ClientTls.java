package dev.petrel.delivery.smtp;

import dev.petrel.delivery.Target;
import dev.petrel.server.tls.TlsContextFactory;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * TLS for the SMTP client. Two trust modes: {@link #acceptAny()} for opportunistic and
 * "required" TLS (like Postfix's {@code may} and {@code encrypt}: encryption against passive
 * eavesdroppers, no authentication, because most MX certificates do not match their MX name), and
 * a verifying context (by default the JDK's trust store) with host-name checking for VERIFY.
 * Protocols are limited to TLS 1.3 and 1.2, as on the server side.
 */
final class ClientTls {
    private ClientTls() {}

    /** A context that accepts any certificate. */
    static SSLContext acceptAny() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAny()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK: " + e, e);
        }
    }

    /** The JDK's default context: its trust store (cacerts), for VERIFY. */
    static SSLContext jdkDefault() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no default TLS context in this JDK: " + e, e);
        }
    }

    /**
     * Layers TLS over {@code plain} and runs the handshake as the client. Sends SNI with the
     * target's host name (unless that is an IP address). With {@code verifyHostname}, the
     * certificate must name that host (RFC 6125 rules as for HTTPS).
     *
     * @throws IOException the handshake failed; the socket is closed
     */
    static SSLSocket handshake(SSLContext context, Socket plain, Target target, boolean verifyHostname)
            throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, target.hostname(), target.port(), true);
        try {
            tls.setUseClientMode(true);
            SSLParameters p = tls.getSSLParameters();
            p.setProtocols(TlsContextFactory.PROTOCOLS.toArray(String[]::new));
            if (isHostName(target.hostname())) p.setServerNames(List.of(new SNIHostName(target.hostname())));
            if (verifyHostname) p.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(p);
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            tls.close();
            throw e;
        }
    }

    private static boolean isHostName(String name) {
        return name != null && name.indexOf('.') > 0 && !name.endsWith(".")
                && name.chars().anyMatch(Character::isLetter) && name.indexOf(':') < 0
                && name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.'));
    }

    /** Trusts every certificate: for unauthenticated (but encrypted) TLS only. */
    private static final class AcceptAny extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
