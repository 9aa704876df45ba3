package dev.petrel.cli;

import dev.petrel.mailauth.InboundVerifier;
import dev.petrel.mailauth.MailMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code petrel auth check FILE --ip IP --mail-from ADDR --helo NAME [--dns IP:PORT]}: prints the
 * Authentication-Results field Petrel would add to this message arriving from that client (SPF,
 * every DKIM signature, DMARC), exactly as it would be written, folding included. Exit 0 whatever
 * the verdict, 1 when the file cannot be read, 2 for a bad command line.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Print the Authentication-Results header Petrel would add to a message from this client.")
final class AuthCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The message, headers and body (CRLF or LF line ends).")
    Path file;

    @Mixin
    ClientOptions client;

    @Option(names = "--authserv-id", paramLabel = "NAME", defaultValue = "localhost",
            description = "The name that opens the field (Petrel uses server.hostname; default: ${DEFAULT-VALUE}).")
    String authservId;

    @Mixin
    DnsOption dns = new DnsOption();

    /** For tests: the time at which DKIM x= expiry is judged. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        InetAddress clientAddress = client.clientAddress();
        PrintWriter out = spec.commandLine().getOut();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            spec.commandLine().getErr().println("petrel auth check: cannot read " + file + ": " + e);
            return 1;
        }
        InboundVerifier verifier;
        try {
            verifier = new InboundVerifier(dns.resolver(), clock, authservId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String sender = client.mailFrom.strip();
        if (sender.startsWith("<") && sender.endsWith(">")) sender = sender.substring(1, sender.length() - 1);
        MailMessage.HeaderField header = verifier.check(clientAddress, client.helo, sender, MailMessage.parse(bytes)).header();
        out.print(new String(header.raw(), StandardCharsets.UTF_8).replace("\r\n", "\n"));
        out.flush();
        return 0;
    }
}
