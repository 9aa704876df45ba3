package dev.petrel.delivery.mtasts;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.server.tls.KeyMaterial;
import dev.petrel.server.tls.SelfSignedCertificate;
import dev.petrel.server.tls.TlsContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The policy fetch over real TLS on loopback: a one-shot HTTPS server whose raw answer each test
 * writes, so redirects, statuses, sizes, codings and a stalling server can be served exactly.
 * The name mta-sts.example.com is resolved through a {@link MemoryResolver} to 127.0.0.1.
 */
@Timeout(30)
class HttpsPolicyFetcherTest {
    private static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n";

    @TempDir Path dir;
    private final List<AutoCloseable> open = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    @Test
    void fetchesWithHostAndPathAndVerifiedName() throws Exception {
        int port = serve(keys("mta-sts.example.com"), ok(POLICY));
        assertThat(fetcher(port, keys("mta-sts.example.com")).fetch("example.com")).isEqualTo(POLICY);
        assertThat(requests.getFirst()).startsWith("GET /.well-known/mta-sts.txt HTTP/1.1\r\n")
                .contains("\r\nHost: mta-sts.example.com:" + port + "\r\n");
    }

    @Test
    void readsAChunkedBody() throws Exception {
        String half = POLICY.substring(0, 20);
        String rest = POLICY.substring(20);
        String answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(half.length()) + "\r\n" + half + "\r\n"
                + Integer.toHexString(rest.length()) + ";ext=1\r\n" + rest + "\r\n0\r\n\r\n";
        int port = serve(keys("mta-sts.example.com"), answer);
        assertThat(fetcher(port, keys("mta-sts.example.com")).fetch("example.com")).isEqualTo(POLICY);
    }

    @Test
    void refusesACertificateForAnotherName() throws Exception {
        KeyMaterial other = keys("www.example.com");
        int port = serve(other, ok(POLICY));
        assertThatThrownBy(() -> fetcher(port, other).fetch("example.com")).isInstanceOf(IOException.class)
                .hasMessageContaining("mta-sts.example.com");
    }

    @Test
    void refusesAnUntrustedCertificate() throws Exception {
        int port = serve(keys("mta-sts.example.com"), ok(POLICY));
        KeyMaterial stranger = SelfSignedCertificate.loadOrCreate(dir.resolve("stranger"), "mta-sts.example.com");
        assertThatThrownBy(() -> fetcher(port, stranger).fetch("example.com")).isInstanceOf(IOException.class);
    }

    @Test
    void doesNotFollowRedirects() throws Exception {
        int port = serve(keys("mta-sts.example.com"),
                "HTTP/1.1 301 Moved Permanently\r\nLocation: https://evil.test/policy\r\nContent-Length: 0\r\n\r\n");
        assertThatThrownBy(() -> fetcher(port, keys("mta-sts.example.com")).fetch("example.com"))
                .hasMessageContaining("301").hasMessageContaining("redirects are not followed");
        assertThat(requests).hasSize(1);
    }

    @Test
    void onlyA200WithTextPlainCounts() throws Exception {
        KeyMaterial k = keys("mta-sts.example.com");
        int notFound = serve(k, "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found");
        assertThatThrownBy(() -> fetcher(notFound, k).fetch("example.com")).hasMessageContaining("404");
        int html = serve(k, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + POLICY.length() + "\r\n\r\n" + POLICY);
        assertThatThrownBy(() -> fetcher(html, k).fetch("example.com")).hasMessageContaining("text/html");
    }

    @Test
    void refusesMoreThan64KiB() throws Exception {
        KeyMaterial k = keys("mta-sts.example.com");
        String big = POLICY + "x: " + "y".repeat(HttpsPolicyFetcher.MAX_POLICY_BYTES) + "\r\n";
        int declared = serve(k, ok(big));
        assertThatThrownBy(() -> fetcher(declared, k).fetch("example.com")).hasMessageContaining("larger than 65536");
        int undeclared = serve(k, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" + big);
        assertThatThrownBy(() -> fetcher(undeclared, k).fetch("example.com")).hasMessageContaining("larger than 65536");
    }

    @Test
    void givesUpOnAServerThatStallsAfterTheHeaders() throws Exception {
        KeyMaterial k = keys("mta-sts.example.com");
        CountDownLatch release = new CountDownLatch(1);
        open.add(release::countDown);
        int port = serve(k, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nversion: STSv1\r\n", release);
        HttpsPolicyFetcher fetcher = new HttpsPolicyFetcher(dns(), false, trusting(k), port, Duration.ofSeconds(2), Duration.ofSeconds(1));
        open.add(fetcher);
        assertThatThrownBy(() -> fetcher.fetch("example.com")).hasMessageContaining("no complete answer within 1s");
    }

    @Test
    void aNameWithoutAddressOrARefusedConnectionFails() throws Exception {
        KeyMaterial k = keys("mta-sts.example.com");
        assertThatThrownBy(() -> fetcher(1, k).fetch("other.example")).hasMessageContaining("no address for mta-sts.other.example");
        assertThatThrownBy(() -> fetcher(1, k).fetch("example.com")).hasMessageContaining("connect to mta-sts.example.com port 1: ");
    }

    @Test
    void refusesHugeHeadersAndABodyCutShort() throws Exception {
        KeyMaterial k = keys("mta-sts.example.com");
        int huge = serve(k, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX: " + "a".repeat(HttpsPolicyFetcher.MAX_HEADER_BYTES)
                + "\r\nContent-Length: 2\r\n\r\nok");
        assertThatThrownBy(() -> fetcher(huge, k).fetch("example.com")).isInstanceOf(IOException.class);
        int notHttp = serve(k, "SSH-2.0-OpenSSH\r\n");
        assertThatThrownBy(() -> fetcher(notHttp, k).fetch("example.com")).isInstanceOf(IOException.class);
        int cutShort = serve(k, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nshort");
        assertThatThrownBy(() -> fetcher(cutShort, k).fetch("example.com")).isInstanceOf(IOException.class);
    }

    // ---- helpers

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static MemoryResolver dns() {
        return new MemoryResolver().a("mta-sts.example.com", "127.0.0.1");
    }

    private HttpsPolicyFetcher fetcher(int port, KeyMaterial trusted) {
        HttpsPolicyFetcher f = new HttpsPolicyFetcher(dns(), false, trusting(trusted), port, Duration.ofSeconds(2), Duration.ofSeconds(5));
        open.add(f);
        return f;
    }

    private static SSLContext trusting(KeyMaterial k) {
        return TlsContextFactory.clientContextTrusting(k.certificate());
    }

    private KeyMaterial keys(String host) {
        return SelfSignedCertificate.loadOrCreate(dir.resolve(host), host);
    }

    private int serve(KeyMaterial keys, String answer) throws IOException {
        return serve(keys, answer, null);
    }

    /**
     * Accepts one connection, reads the request head, writes {@code answer} and closes (or, with
     * {@code holdOpen}, waits for it before closing: a stalled server). Returns the port.
     */
    private int serve(KeyMaterial keys, String answer, CountDownLatch holdOpen) throws IOException {
        SSLServerSocket server = (SSLServerSocket) TlsContextFactory.serverContext(keys).getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        open.add(server);
        Thread t = new Thread(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(5000);
                requests.add(head(s.getInputStream()));
                OutputStream out = s.getOutputStream();
                out.write(answer.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (holdOpen != null) holdOpen.await(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // the client gave up first: that is what some tests want
            }
        }, "policy-server");
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n") && sb.length() < 8192) {
            int b = in.read();
            if (b < 0) break;
            sb.append((char) b);
        }
        return sb.toString();
    }
}
