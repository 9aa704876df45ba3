package dev.petrel.server.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Accepts one connection on 127.0.0.1 (ephemeral port), optionally says a plaintext greeting first
 * (as before STARTTLS), then upgrades it with {@link TlsContextFactory#upgrade} the way the SMTP
 * server does, writes "hello\n" over TLS and closes. {@link #result} completes with the session or
 * the handshake failure.
 */
final class OneShotTlsServer implements AutoCloseable {
    private final ServerSocket listener;
    final CompletableFuture<SSLSession> result = new CompletableFuture<>();

    OneShotTlsServer(SSLContext context, String plaintextGreeting) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (Socket plain = listener.accept()) {
                plain.setSoTimeout(10_000);
                if (plaintextGreeting != null) {
                    plain.getOutputStream().write(plaintextGreeting.getBytes(StandardCharsets.US_ASCII));
                    plain.getOutputStream().flush();
                }
                try (SSLSocket tls = TlsContextFactory.upgrade(context, plain)) {
                    OutputStream out = tls.getOutputStream();
                    out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    result.complete(tls.getSession());
                }
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The server's handshake outcome, waiting at most 20 s. */
    SSLSession session() throws Exception {
        return result.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
