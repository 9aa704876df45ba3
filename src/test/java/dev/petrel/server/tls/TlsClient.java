package dev.petrel.server.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A JDK TLS client for tests, verifying the server like a real client does: the chain against
 * the given context's trust, and the name (here the IP 127.0.0.1) against the certificate's SAN.
 */
record TlsClient(SSLSocket socket, BufferedReader reader) implements AutoCloseable {

    static TlsClient connect(SSLContext context, int port, String... protocols) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        return handshake(socket, protocols);
    }

    /** STARTTLS style: layer TLS over an already connected plaintext socket. */
    static TlsClient layer(SSLContext context, Socket plain, String... protocols) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, "127.0.0.1", plain.getPort(), true);
        return handshake(socket, protocols);
    }

    private static TlsClient handshake(SSLSocket socket, String... protocols) throws IOException {
        try {
            socket.setSoTimeout(10_000);
            var params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (protocols.length > 0) params.setProtocols(protocols);
            socket.setSSLParameters(params);
            socket.startHandshake();
            return new TlsClient(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    String readLine() throws IOException {
        return reader.readLine();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
