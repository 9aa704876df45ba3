package dev.petrel.cli;

import dev.petrel.admin.QueueCommand;
import dev.petrel.auth.UserCommand;
import dev.petrel.config.ConfigCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code petrel} command: dispatches to its subcommands. */
@Command(name = "petrel", mixinStandardHelpOptions = true, version = "Petrel 0.1.0",
        description = "A mail transfer agent: SMTP in, a durable spool, relay out.",
        subcommands = {ServeCommand.class, ConfigCommand.class, UserCommand.class, QueueCommand.class,
                AuthCommand.class, DkimCommand.class, SendmailCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
