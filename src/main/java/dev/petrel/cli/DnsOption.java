package dev.petrel.cli;

import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.Resolver;
import dev.petrel.message.IpLiteral;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;

/** The {@code --dns HOST:PORT} option of the diagnostic commands: which resolver to ask. */
final class DnsOption {
    @Option(names = "--dns", paramLabel = "IP:PORT",
            description = "The DNS resolver to ask, e.g. 127.0.0.1:5353 (default: the system's).")
    String server;

    /** A caching resolver for the server given, or the system's when none was. */
    Resolver resolver() {
        if (server == null) return new DnsjavaResolver(null);
        int colon = server.lastIndexOf(':');
        if (colon < 0 || server.startsWith("[") != server.contains("]")) {
            throw new IllegalArgumentException("--dns wants IP:PORT, e.g. 127.0.0.1:53 or [::1]:53, not " + server);
        }
        String host = server.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--dns port must be a number: " + server);
        }
        return new DnsjavaResolver(new InetSocketAddress(IpLiteral.parse(host), port));
    }
}
