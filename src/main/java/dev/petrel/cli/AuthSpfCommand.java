package dev.petrel.cli;

import dev.petrel.dns.Resolver;
import dev.petrel.mailauth.spf.SpfResult;
import dev.petrel.mailauth.spf.SpfVerifier;
import dev.petrel.message.IpLiteral;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.concurrent.Callable;

/**
 * {@code petrel auth spf --ip IP --mail-from ADDR --helo NAME [--dns IP:PORT]}: the SPF result of
 * the MAIL FROM identity, as Petrel would judge it. Prints the result keyword alone on the first
 * line, then the explanation (fail) or the problem (temperror, permerror) if any. Exit 0 whatever
 * the result; 2 for a bad or missing option.
 */
@Command(name = "spf", mixinStandardHelpOptions = true,
        description = "Check SPF (RFC 7208) for a client address and MAIL FROM; prints pass, fail, softfail, "
                + "neutral, none, temperror or permerror, then the explanation or problem.")
final class AuthSpfCommand implements Callable<Integer> {
    @Option(names = "--ip", required = true, paramLabel = "IP", description = "The SMTP client's address (IPv4 or IPv6).")
    String ip;

    @Option(names = "--mail-from", required = true, paramLabel = "ADDR",
            description = "The MAIL FROM address; '' or '<>' for the null sender (then postmaster@HELO is checked).")
    String mailFrom;

    @Option(names = "--helo", required = true, paramLabel = "NAME", description = "The HELO/EHLO name.")
    String helo;

    @Mixin
    DnsOption dns;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        InetAddress client;
        try {
            client = IpLiteral.parse(ip);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--ip: " + e.getMessage());
        }
        Resolver resolver;
        try {
            resolver = dns.resolver();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SpfResult result = new SpfVerifier(resolver).checkMailFrom(client, mailFrom, helo);
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.keyword());
        if (result.explanation() != null) out.println(result.explanation());
        if (result.problem() != null) out.println(result.problem());
        out.flush();
        return 0;
    }
}
