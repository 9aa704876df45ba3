package dev.petrel.cli;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.dkim.DkimVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code petrel auth dkim-verify FILE [--dns IP:PORT]}: verify every DKIM signature of a message
 * file as Petrel would on receipt. One line per signature, top to bottom:
 * {@code d=DOMAIN s=SELECTOR RESULT [(reason)]}, or {@code none} when the message has no signature.
 * Exit 0 whatever the results, 1 when the file cannot be read, 2 for a bad command line.
 */
@Command(name = "dkim-verify", mixinStandardHelpOptions = true,
        description = "Verify the DKIM signatures of a message file (RFC 5322 format, CRLF or LF line ends).")
final class AuthDkimVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DnsOption dns = new DnsOption();

    @Parameters(index = "0", paramLabel = "FILE", description = "The message, headers and body.")
    Path file;

    /** For tests: the time at which x= expiry is judged. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            err.println("petrel auth dkim-verify: cannot read " + file + ": " + e);
            return 1;
        }
        DkimVerifier verifier;
        try {
            verifier = new DkimVerifier(dns.resolver(), clock);
        } catch (IllegalArgumentException e) {
            err.println("petrel auth dkim-verify: " + e.getMessage());
            return 2;
        }
        for (DkimResult result : verifier.verify(MailMessage.parse(bytes))) out.println(line(result));
        out.flush();
        return 0;
    }

    static String line(DkimResult r) {
        if (r.kind() == DkimResult.Kind.NONE) return "none";
        String text = "d=" + (r.domain() == null ? "?" : r.domain()) + " s=" + (r.selector() == null ? "?" : r.selector())
                + " " + r.kind().keyword();
        return r.reason() == null ? text : text + " (" + r.reason() + ")";
    }
}
