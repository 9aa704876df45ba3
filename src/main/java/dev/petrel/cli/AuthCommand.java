package dev.petrel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code petrel auth ...}: run Petrel's SPF, DKIM, DMARC and ARC checks by hand, against a DNS
 * server given with {@code --dns}. Each subcommand exits 0 whatever the verdict (the verdict is the
 * output); 1 when the input cannot be read, 2 for a bad command line.
 */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "Check SPF, DKIM, DMARC and ARC the way Petrel judges inbound mail.",
        subcommands = {AuthSpfCommand.class, AuthDkimVerifyCommand.class, AuthCheckCommand.class})
public final class AuthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: spf, dkim-verify or check");
    }
}
