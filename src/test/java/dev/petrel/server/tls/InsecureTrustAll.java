package dev.petrel.server.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/**
 * A client SSL context that accepts any server certificate. For tests ONLY, which is why it lives
 * under src/test: production code must never contain a trust-all manager. Prefer
 * {@link TlsContextFactory#clientContextTrusting}, which really verifies.
 */
public final class InsecureTrustAll {
    private InsecureTrustAll() {}

    public static SSLContext clientContext() {
        TrustManager trustAll = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
