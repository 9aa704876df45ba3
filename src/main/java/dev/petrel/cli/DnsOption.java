package dev.petrel.cli;

import dev.petrel.config.ListenerAddress;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.Resolver;
import picocli.CommandLine.Option;

/** The {@code --dns IP:PORT} option of the diagnostic commands: which resolver to ask. */
final class DnsOption {
    @Option(names = "--dns", paramLabel = "IP:PORT",
            description = "The DNS resolver to ask, e.g. 127.0.0.1:5353 or [::1]:53 (default: the system's).")
    String server;

    /**
     * A caching resolver for the server given, or the system's when none was.
     *
     * @throws IllegalArgumentException when the value is not a numeric IP and port
     */
    Resolver resolver() {
        if (server == null) return new DnsjavaResolver(null);
        try {
            return new DnsjavaResolver(ListenerAddress.parse(server)); // the config's parser: numeric IP (or localhost) and port
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dns wants IP:PORT, such as 127.0.0.1:53 or [::1]:53, not " + server, e);
        }
    }
}
