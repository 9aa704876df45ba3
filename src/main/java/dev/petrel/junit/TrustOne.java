package dev.petrel.junit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * A client TLS context that trusts exactly one certificate (a staging Petrel's generated one). Kept
 * here rather than borrowed from the server's TLS code, because the helper jar carries only this
 * package.
 */
final class TrustOne {
    private TrustOne() {}

    static SSLContext context(X509Certificate certificate) throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("petrel-inbox", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot build a trust store in memory: " + e.getMessage(), e);
        }
    }
}
