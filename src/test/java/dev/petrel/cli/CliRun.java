package dev.petrel.cli;

import dev.petrel.testkit.TestDnsServer;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs one {@code petrel} subcommand in-process, as a user would type it, with {@code --dns}
 * pointing at a {@link TestDnsServer}; keeps what it printed on stdout and stderr across runs.
 */
final class CliRun {
    private final TestDnsServer dns;
    private final List<String> command;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** {@code command} is the subcommand path, e.g. {@code "auth", "spf"}. */
    CliRun(TestDnsServer dns, String... command) {
        this.dns = dns;
        this.command = List.of(command);
    }

    /** {@code petrel COMMAND ARGS --dns 127.0.0.1:PORT}; the exit code. */
    int run(String... args) {
        List<String> full = new ArrayList<>(command);
        Collections.addAll(full, args);
        full.add("--dns");
        full.add("127.0.0.1:" + dns.address().getPort());
        return execute(full.toArray(String[]::new));
    }

    /** {@code petrel ARGS} exactly as given (no {@code --dns} added); the exit code. */
    int execute(String... args) {
        return new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    /** Everything printed on stdout so far. */
    String out() {
        return out.toString();
    }

    /** Everything printed on stderr so far. */
    String err() {
        return err.toString();
    }
}
