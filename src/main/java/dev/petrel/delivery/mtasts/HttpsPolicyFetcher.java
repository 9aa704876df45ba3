package dev.petrel.delivery.mtasts;

import dev.petrel.dns.DnsResult;
import dev.petrel.dns.Resolver;
import dev.petrel.server.tls.TlsContextFactory;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 section 3.3) with
 * Jetty's HTTP client, whose host lookups go through Petrel's {@link Resolver} (the configured
 * resolver, or the test DNS server), never the system's. TLS 1.2 or 1.3 with SNI and a
 * certificate that chains to {@code trust} and names {@code mta-sts.<domain>} (HTTPS endpoint
 * identification); no redirects; only a 200 with {@code text/plain}; at most
 * {@value #MAX_POLICY_BYTES} bytes; the whole exchange within {@code timeout}. Addresses are tried
 * in the resolver's order (IPv4 first), at most {@value #MAX_ADDRESSES}.
 *
 * <p>The client starts on the first fetch and stops on {@link #close}. Thread-safe.
 */
public final class HttpsPolicyFetcher implements PolicyFetcher, AutoCloseable {
    /** RFC 8461 section 3.3 suggests 64 KiB as a sane maximum for a policy. */
    static final int MAX_POLICY_BYTES = 64 * 1024;
    static final int MAX_ADDRESSES = 4;
    /** A policy answer has a few short header fields; anything near this is not one. */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    public static final int HTTPS_PORT = 443;
    /**
     * The fetch happens while a delivery waits, so it is kept short, like postfix-mta-sts-resolver's
     * few seconds: a policy host that slow is treated as failing (and retried in a few minutes).
     */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Resolver dns;
    private final boolean ipv6;
    private final int port;
    private final Duration timeout;
    private final HttpClient client;
    private boolean started;
    private boolean closed;

    /**
     * @param trust the trust for the policy host's certificate: the same as for verified STARTTLS
     * @param port  {@value #HTTPS_PORT} in production; tests use an ephemeral port
     */
    public HttpsPolicyFetcher(Resolver dns, boolean ipv6, SSLContext trust, int port, Duration connectTimeout, Duration timeout) {
        this.dns = dns;
        this.ipv6 = ipv6;
        this.port = port;
        this.timeout = timeout;
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(trust);
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setIncludeProtocols(TlsContextFactory.PROTOCOLS.toArray(String[]::new));
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        this.client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("mta-sts-fetch");
        threads.setDaemon(true); // a fetcher nobody closed must not keep the JVM alive
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler("mta-sts-fetch-timer", true));
        client.setSocketAddressResolver(this::resolve);
        client.setFollowRedirects(false);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(timeout.toMillis());
        client.setMaxResponseHeadersSize(MAX_HEADER_BYTES);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Petrel"));
        client.setName("mta-sts-fetch");
    }

    @Override
    public String fetch(String domain) throws IOException {
        String host = "mta-sts." + domain;
        String url = "https://" + host + (port == HTTPS_PORT ? "" : ":" + port) + "/.well-known/mta-sts.txt";
        ContentResponse response;
        try {
            var request = started().newRequest(url).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .headers(h -> h.put(HttpHeader.ACCEPT, "text/plain"));
            response = new CompletableResponseListener(request, MAX_POLICY_BYTES).send()
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException(url + ": no complete answer within " + timeout.toSeconds() + "s", e);
        } catch (ExecutionException e) {
            throw new IOException(url + ": " + explain(e.getCause(), host), e.getCause());
        }
        int status = response.getStatus();
        if (status >= 300 && status < 400) {
            throw new IOException(url + " answered " + status + " (redirects are not followed, RFC 8461 section 3.3)");
        }
        if (status != 200) throw new IOException(url + " answered " + status + ", not 200");
        String type = response.getMediaType();
        if (type == null || !type.toLowerCase(Locale.ROOT).equals("text/plain")) {
            throw new IOException(url + " served " + (type == null ? "no Content-Type" : type) + ", not text/plain");
        }
        return response.getContentAsString();
    }

    /** Jetty's failures, said the way an operator reads them in the delivery log. */
    private String explain(Throwable cause, String host) {
        if (cause instanceof TimeoutException) return "no complete answer within " + timeout.toSeconds() + "s";
        String message = String.valueOf(cause.getMessage());
        if (message.contains("Buffering capacity") || message.contains("exceeded")) {
            return "the policy is larger than " + MAX_POLICY_BYTES + " bytes";
        }
        if (cause instanceof ConnectException || message.contains("Connection refused")) {
            return "connect to " + host + " port " + port + ": " + message;
        }
        return cause.getClass().getSimpleName() + ": " + message;
    }

    private synchronized HttpClient started() throws IOException {
        if (closed) throw new IOException("the MTA-STS fetcher is closed");
        if (!started) {
            try {
                client.start();
            } catch (Exception e) {
                throw new IOException("cannot start the HTTPS client: " + e.getMessage(), e);
            }
            started = true;
        }
        return client;
    }

    /** The client's host lookups: Petrel's resolver, A then (with IPv6) AAAA. */
    private void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        List<InetSocketAddress> out = new ArrayList<>();
        String failure = null;
        List<DnsResult<InetAddress>> results = new ArrayList<>(List.of(dns.a(host)));
        if (ipv6) results.add(dns.aaaa(host));
        for (DnsResult<InetAddress> r : results) {
            for (InetAddress a : r.recordsOrEmpty()) {
                if (out.size() >= MAX_ADDRESSES) break;
                // The address carries the name: Jetty takes the TLS peer host (SNI and the
                // certificate's name check) from it, and an address alone would be checked as an IP.
                try {
                    out.add(new InetSocketAddress(InetAddress.getByAddress(host, a.getAddress()), port));
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException("an address from the resolver has a bad length", e);
                }
            }
            if (r instanceof DnsResult.TempFail<InetAddress> f) failure = f.reason();
        }
        if (out.isEmpty()) promise.failed(new IOException("no address for " + host + (failure == null ? "" : ": " + failure)));
        else promise.succeeded(out);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (!started) return;
        try {
            client.stop();
        } catch (Exception e) {
            // Stopping frees threads and sockets; nothing is left to report to anyone.
        }
    }
}
