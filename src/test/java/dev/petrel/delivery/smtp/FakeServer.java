package dev.petrel.delivery.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A tiny scripted SMTP/LMTP server on a loopback port, for behaviours no real server shows on
 * demand. It counts connections and records every line received and every message body.
 */
final class FakeServer implements AutoCloseable {
    /** What to do with one connection. */
    interface Script {
        void run(Peer peer) throws IOException;
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    final List<String> received = Collections.synchronizedList(new ArrayList<>());
    final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    private FakeServer(Script script) throws IOException {
        server = new ServerSocket(0, 50, Fixtures.LOOPBACK);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    sockets.add(s);
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            script.run(new Peer(s));
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    static FakeServer start(Script script) throws IOException {
        return new FakeServer(script);
    }

    /**
     * A server that greets, then answers each command with {@code respond.apply(line)}: a reply
     * (lines joined with CRLF), or null to drop the connection. After a 354 the message is read
     * and {@code respond} gets "." for the final reply.
     */
    static FakeServer responding(Function<String, String> respond) throws IOException {
        return start(peer -> {
            peer.send("220 fake.test ESMTP");
            peer.serve(respond);
        });
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) s.close();
        }
    }

    final class Peer {
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        Socket socket() {
            return socket;
        }

        /** Server side of STARTTLS, after "220" was sent. */
        void startTls(javax.net.ssl.SSLContext context) throws IOException {
            socket = dev.petrel.server.tls.TlsContextFactory.upgrade(context, socket);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        String readLine() throws IOException {
            String line = in.readLine();
            if (line != null) received.add(line);
            return line;
        }

        void send(String reply) throws IOException {
            out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads DATA content up to the lone dot and returns it as sent (still dot-stuffed, CRLF). */
        String readData() throws IOException {
            StringBuilder sb = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null && !line.equals(".")) sb.append(line).append("\r\n");
            bodies.add(sb.toString());
            return sb.toString();
        }

        void serve(Function<String, String> respond) throws IOException {
            String line;
            while ((line = readLine()) != null) {
                String reply = respond.apply(line);
                if (reply == null) return;
                send(reply);
                if (line.toUpperCase().startsWith("QUIT")) return;
                if (line.equalsIgnoreCase("DATA") && reply.startsWith("354")) {
                    readData();
                    String end = respond.apply(".");
                    if (end == null) return;
                    send(end);
                }
            }
        }
    }
}
