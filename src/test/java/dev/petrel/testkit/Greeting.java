package dev.petrel.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/** Waits, bounded, until a server fixture (Postfix, Dovecot) answers with a 220 greeting. */
final class Greeting {
    private static final int IO_TIMEOUT_MS = 5_000;

    private Greeting() {}

    /**
     * @param name        for messages, e.g. "postfix"
     * @param diedBecause why the server can no longer come up (it exited), or null while it may
     * @param diagnostics its log, appended to every failure
     */
    static void await(InetSocketAddress address, Duration within, String name, Supplier<String> diedBecause,
                      Supplier<String> diagnostics) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            String died = diedBecause.get();
            if (died != null) throw new IOException(name + " " + died + " before listening\n" + diagnostics.get());
            try (Socket s = new Socket()) {
                s.connect(address, IO_TIMEOUT_MS);
                s.setSoTimeout(IO_TIMEOUT_MS);
                String greeting = readLine(s.getInputStream());
                if (greeting.startsWith("220 ")) {
                    s.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                throw new IOException("unexpected " + name + " greeting: " + greeting + "\n" + diagnostics.get());
            } catch (ConnectException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException(name + " did not listen on " + address + " within " + within + "\n" + diagnostics.get());
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }
}
