package dev.petrel.delivery.mtasts;

import dev.petrel.dns.DnsResult;
import dev.petrel.dns.Resolver;
import dev.petrel.server.tls.TlsContextFactory;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 section 3.3) over a
 * socket it connects itself, so that the name is looked up through Petrel's {@link Resolver} (the
 * configured resolver, or the test DNS server) and never the system's. TLS 1.2 or 1.3 with SNI, a
 * certificate that chains to {@code trust} and names {@code mta-sts.<domain>} (HTTPS endpoint
 * identification), HTTP/1.1 with {@code Connection: close}, no redirects, only a 200 with
 * {@code text/plain}, at most {@value #MAX_POLICY_BYTES} bytes, and the whole exchange within
 * {@code timeout} (each address also gets at most {@code connectTimeout} to connect). Addresses
 * are tried in order (IPv4 first) until one connects; at most {@value #MAX_ADDRESSES}.
 */
public final class HttpsPolicyFetcher implements PolicyFetcher {
    /** RFC 8461 section 3.3 suggests 64 KiB as a sane maximum for a policy. */
    static final int MAX_POLICY_BYTES = 64 * 1024;
    static final int MAX_ADDRESSES = 4;
    public static final int HTTPS_PORT = 443;
    /**
     * The fetch happens while a delivery waits, so it is kept short, like postfix-mta-sts-resolver's
     * few seconds: a policy host that slow is treated as failing (and retried in a few minutes).
     */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Resolver dns;
    private final boolean ipv6;
    private final SSLContext trust;
    private final int port;
    private final Duration connectTimeout;
    private final Duration timeout;

    /**
     * @param trust the trust for the policy host's certificate: the same as for verified STARTTLS
     * @param port  {@value #HTTPS_PORT} in production; tests use an ephemeral port
     */
    public HttpsPolicyFetcher(Resolver dns, boolean ipv6, SSLContext trust, int port, Duration connectTimeout, Duration timeout) {
        this.dns = dns;
        this.ipv6 = ipv6;
        this.trust = trust;
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
    }

    @Override
    public String fetch(String domain) throws IOException {
        String host = "mta-sts." + domain;
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        for (InetAddress address : addresses(host)) {
            Socket plain = new Socket();
            try {
                plain.connect(new InetSocketAddress(address, port), (int) Math.max(1, Math.min(connectTimeout.toMillis(), remainingMillis(deadline))));
            } catch (IOException e) {
                plain.close();
                last = new IOException("connect to " + host + "[" + address.getHostAddress() + "]:" + port + ": " + e.getMessage(), e);
                continue;
            }
            try (SSLSocket tls = handshake(plain, host, deadline)) {
                return request(tls, host, deadline);
            } catch (SocketTimeoutException e) {
                throw new IOException("https://" + host + ": no complete answer within " + timeout.toSeconds() + "s", e);
            } catch (IOException e) {
                throw new IOException("https://" + host + ": " + e.getMessage(), e);
            }
        }
        throw last;
    }

    private List<InetAddress> addresses(String host) throws IOException {
        List<InetAddress> out = new ArrayList<>();
        String failure = null;
        List<DnsResult<InetAddress>> results = new ArrayList<>(List.of(dns.a(host)));
        if (ipv6) results.add(dns.aaaa(host));
        for (DnsResult<InetAddress> r : results) {
            out.addAll(r.recordsOrEmpty());
            if (r instanceof DnsResult.TempFail<InetAddress> f) failure = f.reason();
        }
        if (out.isEmpty()) throw new IOException("no address for " + host + (failure == null ? "" : ": " + failure));
        return out.stream().limit(MAX_ADDRESSES).toList();
    }

    private SSLSocket handshake(Socket plain, String host, long deadline) throws IOException {
        SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(plain, host, port, true);
        try {
            tls.setUseClientMode(true);
            SSLParameters p = tls.getSSLParameters();
            p.setProtocols(TlsContextFactory.PROTOCOLS.toArray(String[]::new));
            p.setServerNames(List.of(new SNIHostName(host)));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(p);
            tls.setSoTimeout((int) remainingMillis(deadline));
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            tls.close();
            throw e;
        }
    }

    private String request(SSLSocket tls, String host, long deadline) throws IOException {
        OutputStream out = tls.getOutputStream();
        String hostHeader = port == HTTPS_PORT ? host : host + ":" + port;
        out.write(("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nAccept: text/plain\r\nUser-Agent: Petrel\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = new BufferedInputStream(new DeadlineInput(tls, deadline));
        return new HttpResponseReader(in, MAX_POLICY_BYTES).readBody();
    }

    private static long remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw new SocketTimeoutException("deadline passed");
        return Math.min(Integer.MAX_VALUE, left);
    }

    /** Sets the read timeout to what is left before each read, so a server trickling bytes cannot stretch the fetch. */
    private static final class DeadlineInput extends FilterInputStream {
        private final Socket socket;
        private final long deadline;

        DeadlineInput(Socket socket, long deadline) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout((int) remainingMillis(deadline));
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout((int) remainingMillis(deadline));
            return super.read(b, off, len);
        }
    }
}
