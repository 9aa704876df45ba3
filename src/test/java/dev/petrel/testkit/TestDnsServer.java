package dev.petrel.testkit;

import dev.petrel.message.IpLiteral;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * A tiny DNS server for tests: answers from an in-memory zone over UDP and TCP on one free port of
 * 127.0.0.1, so that Petrel's real resolver ({@code dev.petrel.dns.DnsjavaResolver}, or the
 * {@code delivery.resolver} setting) can be pointed at it and never at real DNS.
 *
 * <pre>
 * try (TestDnsServer dns = TestDnsServer.start()) {
 *     dns.addMx("example.com", 10, "mx.example.com").addA("mx.example.com", "127.0.0.1");
 *     dns.servfail("broken.example");   // SERVFAIL for every type
 *     dns.drop("slow.example");         // no answer at all: the client times out
 *     var resolver = new DnsjavaResolver(dns.address(), Duration.ofSeconds(1), 100, Clock.systemUTC());
 *     ...
 *     assertThat(dns.count("example.com", "MX")).isEqualTo(1);
 * }
 * </pre>
 *
 * <p>It behaves like a recursive resolver that is authoritative for everything (AA and RA set):
 * <ul>
 * <li>records of the asked type: NOERROR with them (CNAMEs added with {@link #addCname} are
 *     followed inside the zone, as a recursive resolver would);</li>
 * <li>the name has other records, or names below it do (an empty non-terminal): NOERROR, empty
 *     answer (NODATA), SOA in the authority section;</li>
 * <li>otherwise: NXDOMAIN, SOA in the authority section.</li>
 * </ul>
 * The SOA's owner is the last two labels of the asked name, its TTL and minimum are
 * {@link #negativeTtl}. UDP answers larger than the client's EDNS size (512 without EDNS) are
 * truncated with TC set, so clients retry over TCP. Names are case-insensitive, trailing dot
 * optional. Edits may happen at any time from any thread; each query sees the zone as it is.
 *
 * <p>Bounded: one UDP thread, one TCP accept thread and at most {@value #MAX_TCP_CONNECTIONS}
 * TCP connections, all daemon threads, all stopped by {@link #close}.
 */
public final class TestDnsServer implements AutoCloseable {
    static final int MAX_TCP_CONNECTIONS = 16;

    /** One query as received: the asked name (lower case, absolute), type mnemonic, and transport. */
    public record Query(String name, String type, boolean tcp) {}

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Semaphore tcpSlots = new Semaphore(MAX_TCP_CONNECTIONS);
    private final Set<Socket> connections = new HashSet<>();

    // Guarded by this.
    private final Map<String, List<Record>> zone = new HashMap<>();
    private final Set<String> servfail = new HashSet<>();
    private final Set<String> dropped = new HashSet<>();
    private final List<Query> queries = new ArrayList<>();
    private long ttl = 300;
    private long negativeTtl = 60;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Starts a server on a free port of 127.0.0.1 (the same port for UDP and TCP). */
    public static TestDnsServer start() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; ; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 50, loopback);
                TestDnsServer server = new TestDnsServer(udp, tcp);
                server.thread("test-dns-udp", server::serveUdp);
                server.thread("test-dns-tcp", server::acceptTcp);
                return server;
            } catch (BindException e) {
                udp.close(); // that port is taken for TCP; try another
                if (attempt == 20) throw e;
            }
        }
    }

    /** Where to send queries: 127.0.0.1 and the port, for UDP and TCP alike. */
    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    /** TTL of the records added after this call (default 300 s). */
    public synchronized TestDnsServer ttl(long seconds) {
        this.ttl = seconds;
        return this;
    }

    /** TTL and minimum of the SOA sent with NXDOMAIN and NODATA (default 60 s). */
    public synchronized TestDnsServer negativeTtl(long seconds) {
        this.negativeTtl = seconds;
        return this;
    }

    public synchronized TestDnsServer addMx(String domain, int preference, String exchange) {
        return add(new MXRecord(name(domain), DClass.IN, ttl, preference, name(exchange)));
    }

    public synchronized TestDnsServer addA(String host, String... ips) {
        for (String ip : ips) {
            InetAddress address = IpLiteral.parse(ip);
            if (!(address instanceof Inet4Address)) throw new IllegalArgumentException(ip + " is not IPv4");
            add(new ARecord(name(host), DClass.IN, ttl, address));
        }
        return this;
    }

    public synchronized TestDnsServer addAaaa(String host, String... ips) {
        for (String ip : ips) {
            InetAddress address = IpLiteral.parse(ip);
            if (!(address instanceof Inet6Address)) throw new IllegalArgumentException(ip + " is not IPv6");
            add(new AAAARecord(name(host), DClass.IN, ttl, address));
        }
        return this;
    }

    /** One TXT record; text longer than 255 characters is split into several strings (as for DKIM keys). */
    public synchronized TestDnsServer addTxt(String name, String text) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length() || parts.isEmpty(); i += 255) {
            // dnsjava parses backslash escapes in these strings; keep backslashes literal.
            parts.add(text.substring(i, Math.min(text.length(), i + 255)).replace("\\", "\\\\"));
        }
        return add(new TXTRecord(name(name), DClass.IN, ttl, parts));
    }

    /** A PTR record for the address {@code ip} (a literal) pointing at {@code host}. */
    public synchronized TestDnsServer addPtr(String ip, String host) {
        return add(new PTRRecord(ReverseMap.fromAddress(IpLiteral.parse(ip)), DClass.IN, ttl, name(host)));
    }

    public synchronized TestDnsServer addCname(String alias, String target) {
        return add(new CNAMERecord(name(alias), DClass.IN, ttl, name(target)));
    }

    /** Removes every record owned by {@code name} (names below it are kept). */
    public synchronized TestDnsServer remove(String name) {
        zone.remove(key(name));
        return this;
    }

    /** Answers SERVFAIL to every query for {@code name} until {@link #heal}. */
    public synchronized TestDnsServer servfail(String name) {
        servfail.add(key(name));
        return this;
    }

    /** Never answers queries for {@code name} (the client times out) until {@link #heal}. */
    public synchronized TestDnsServer drop(String name) {
        dropped.add(key(name));
        return this;
    }

    /** Undoes {@link #servfail} and {@link #drop} for {@code name}. */
    public synchronized TestDnsServer heal(String name) {
        servfail.remove(key(name));
        dropped.remove(key(name));
        return this;
    }

    /** Every query received so far, in order. */
    public synchronized List<Query> queries() {
        return List.copyOf(queries);
    }

    /** How many queries for {@code name} and {@code type} ("MX", "A", ...) arrived, over UDP and TCP. */
    public synchronized int count(String name, String type) {
        String k = key(name);
        return (int) queries.stream().filter(q -> q.name.equals(k) && q.type.equalsIgnoreCase(type)).count();
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (connections) {
            for (Socket s : connections) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    // ---- answering ----

    /** The answer to {@code query}, or null to stay silent (dropped name). */
    synchronized Message answer(Message query, boolean overTcp) {
        Header qh = query.getHeader();
        Record question = query.getQuestion();
        Message response = new Message(qh.getID());
        Header h = response.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.AA);
        h.setFlag(Flags.RA);
        if (qh.getFlag(Flags.RD)) h.setFlag(Flags.RD);
        if (query.getOPT() != null) response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        if (question == null || qh.getOpcode() != Opcode.QUERY) {
            h.setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        String asked = question.getName().toString().toLowerCase(Locale.ROOT);
        int type = question.getType();
        queries.add(new Query(asked, Type.string(type), overTcp));
        if (dropped.contains(asked)) return null;
        if (servfail.contains(asked)) {
            h.setRcode(Rcode.SERVFAIL);
            return response;
        }

        String current = asked;
        for (int hop = 0; hop < 8; hop++) {
            List<Record> owned = zone.getOrDefault(current, List.of());
            List<Record> matching = owned.stream().filter(r -> r.getType() == type).toList();
            if (!matching.isEmpty()) {
                matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                return response;
            }
            Record cname = type == Type.CNAME ? null
                    : owned.stream().filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
            if (cname == null) break;
            response.addRecord(cname, Section.ANSWER);
            current = ((CNAMERecord) cname).getTarget().toString().toLowerCase(Locale.ROOT);
        }
        if (!exists(current)) h.setRcode(Rcode.NXDOMAIN);
        response.addRecord(soa(current), Section.AUTHORITY);
        return response;
    }

    private boolean exists(String name) {
        if (name.equals(".")) return !zone.isEmpty();
        return zone.keySet().stream().anyMatch(k -> k.equals(name) || k.endsWith("." + name));
    }

    private SOARecord soa(String name) {
        String[] labels = name.split("\\.");
        String apex = labels.length <= 2 ? name
                : labels[labels.length - 2] + "." + labels[labels.length - 1] + ".";
        Name owner = name(apex);
        try {
            return new SOARecord(owner, DClass.IN, negativeTtl, Name.fromString("ns", owner),
                    Name.fromString("hostmaster", owner), 1, 3600, 600, 86400, negativeTtl);
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestDnsServer add(Record record) {
        zone.computeIfAbsent(record.getName().toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(record);
        return this;
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text, e);
        }
    }

    private static String key(String text) {
        return name(text).toString().toLowerCase(Locale.ROOT);
    }

    // ---- transports ----

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query, false);
                if (response == null) continue;
                OPTRecord opt = query.getOPT();
                int max = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
                byte[] wire = response.toWire(max); // truncates at a record boundary and sets TC
                udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException malformed) {
                // not a DNS message: ignore it, as a server would
            }
        }
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException closed) {
                return;
            }
            if (!tcpSlots.tryAcquire()) {
                closeQuietly(socket);
                continue;
            }
            synchronized (connections) {
                connections.add(socket);
            }
            thread("test-dns-tcp-conn", () -> {
                try {
                    serveTcp(socket);
                } finally {
                    synchronized (connections) {
                        connections.remove(socket);
                    }
                    closeQuietly(socket);
                    tcpSlots.release();
                }
            });
        }
    }

    private void serveTcp(Socket socket) {
        try {
            socket.setSoTimeout(30_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] bytes = new byte[in.readUnsignedShort()];
                in.readFully(bytes);
                Message response = answer(new Message(bytes), true);
                if (response == null) continue;
                byte[] wire = response.toWire();
                byte[] framed = new byte[wire.length + 2];
                framed[0] = (byte) (wire.length >>> 8);
                framed[1] = (byte) wire.length;
                System.arraycopy(wire, 0, framed, 2, wire.length);
                out.write(framed); // one write: length and message together
                out.flush();
            }
        } catch (EOFException | SocketException done) {
            // client closed, or we were closed
        } catch (IOException e) {
            // timeout or malformed message: drop the connection
        }
    }

    private void thread(String name, Runnable body) {
        Thread t = new Thread(body, name + "-" + udp.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
