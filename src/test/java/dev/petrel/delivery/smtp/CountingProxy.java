package dev.petrel.delivery.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A TCP proxy in front of a real server that counts connections and keeps what each client
 * sent, to see connection reuse and QUIT from outside the client.
 */
final class CountingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<ByteArrayOutputStream> fromClients = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    CountingProxy(int upstreamPort) throws IOException {
        server = new ServerSocket(0, 50, Fixtures.LOOPBACK);
        Thread.ofVirtual().start(() -> {
            while (true) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket();
                    upstream.connect(new InetSocketAddress(Fixtures.LOOPBACK, upstreamPort), 5_000);
                    sockets.add(client);
                    sockets.add(upstream);
                    ByteArrayOutputStream log = new ByteArrayOutputStream();
                    fromClients.add(log);
                    pump(client, upstream, log);
                    pump(upstream, client, null);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream log) {
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (log != null) {
                        synchronized (log) {
                            log.write(buf, 0, n);
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return fromClients.size();
    }

    /** What the client wrote on connection {@code i} so far. */
    String sent(int i) {
        ByteArrayOutputStream log = fromClients.get(i);
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) s.close();
        }
    }
}
