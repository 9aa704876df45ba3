package dev.petrel.cli;

import dev.petrel.dns.Resolver;
import dev.petrel.mailauth.spf.SpfResult;
import dev.petrel.mailauth.spf.SpfVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
    @Mixin
    ClientOptions client;

    @Mixin
    DnsOption dns;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        InetAddress clientAddress = client.clientAddress();
        Resolver resolver;
        try {
            resolver = dns.resolver();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SpfResult result = new SpfVerifier(resolver).checkMailFrom(clientAddress, client.mailFrom, client.helo);
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.keyword());
        if (result.explanation() != null) out.println(result.explanation());
        if (result.problem() != null) out.println(result.problem());
        out.flush();
        return 0;
    }
}
