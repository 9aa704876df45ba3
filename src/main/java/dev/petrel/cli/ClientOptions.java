package dev.petrel.cli;

import dev.petrel.message.IpLiteral;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.InetAddress;

/**
 * The {@code --ip}, {@code --mail-from} and {@code --helo} options (a picocli mixin) of the
 * diagnostic commands that judge a message as if it came from an SMTP client: who connected, and
 * what it said in HELO/EHLO and MAIL FROM.
 */
final class ClientOptions {
    /** The command this mixin is part of, so that a bad {@code --ip} is that command's usage error. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--ip", required = true, paramLabel = "IP", description = "The SMTP client's address (IPv4 or IPv6).")
    String ip;

    @Option(names = "--mail-from", required = true, paramLabel = "ADDR",
            description = "The MAIL FROM address; '' or '<>' for the null sender (then SPF checks postmaster@HELO).")
    String mailFrom;

    @Option(names = "--helo", required = true, paramLabel = "NAME", description = "The HELO/EHLO name.")
    String helo;

    /**
     * The client's address; only a numeric IP is accepted, never a name to resolve.
     *
     * @throws ParameterException (exit 2 with the usage) when {@code --ip} is not a numeric address
     */
    InetAddress clientAddress() {
        try {
            return IpLiteral.parse(ip);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--ip: " + e.getMessage());
        }
    }
}
