package dev.petrel.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.config.ConfigException;
import dev.petrel.config.ConfigLoader;
import dev.petrel.message.QueueId;
import dev.petrel.queue.QueueControl.QueueEntry;
import dev.petrel.queue.QueueControl.RecipientState;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code petrel queue list|show|flush|hold|release|delete|bounce}: control the queue of a running
 * server through its admin endpoint ({@link AdminServer}), found via {@code <data_dir>/admin.address}
 * and {@code admin.token}. Exit codes: 0 done, 1 refused (one line on stderr: no server, no such
 * message, ...), 2 bad command line.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "List and control the mail queue of a running server.",
        subcommands = {QueueCommand.ListQueue.class, QueueCommand.Show.class, QueueCommand.Flush.class,
                QueueCommand.Hold.class, QueueCommand.Release.class, QueueCommand.Delete.class,
                QueueCommand.Bounce.class})
public final class QueueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Arrival times are shown in this zone; tests pin it. */
    ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "Missing subcommand: list, show, flush, hold, release, delete or bounce");
    }

    /** How every subcommand finds the server's data directory. */
    static final class DataDirOptions {
        @Option(names = "--config", paramLabel = "FILE",
                description = "Petrel's config file, to find server.data_dir (default: the embedded defaults, ./petrel-data).")
        Path config;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "The running server's data directory (overrides the config).")
        Path dataDir;

        Path resolve() throws AdminClient.Refused {
            if (dataDir != null) return dataDir;
            try {
                return (config == null ? ConfigLoader.defaults() : ConfigLoader.load(config)).server().dataDir();
            } catch (ConfigException e) {
                throw new AdminClient.Refused(e.getMessage());
            }
        }
    }

    /** Shared connect/error handling: every subcommand reports failures the same way. */
    abstract static class Sub implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        QueueCommand parent;

        @Mixin
        DataDirOptions dataDir;

        abstract void run(AdminClient client, PrintWriter out) throws AdminClient.Refused;

        @Override
        public final Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (AdminClient client = AdminClient.find(dataDir.resolve())) {
                run(client, out);
                out.flush();
                return 0;
            } catch (AdminClient.Refused e) {
                err.println("petrel queue: " + e.getMessage());
                err.flush();
                return 1;
            }
        }

        /** Checked here so that a typo gets a clear message and never reaches a URL unescaped. */
        static String checkId(String id) throws AdminClient.Refused {
            if (!QueueId.isValid(id)) {
                throw new AdminClient.Refused("not a queue id: '" + id + "' (16 characters of 0-9, A-Z, a-z; see petrel queue list)");
            }
            return id;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the queue, like Postfix's mailq.")
    static final class ListQueue extends Sub {
        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.Refused {
            JsonNode messages = client.send("GET", "/queue").path("messages");
            List<QueueEntry> entries;
            try {
                entries = Arrays.asList(AdminJson.MAPPER.treeToValue(messages, QueueEntry[].class));
            } catch (IOException e) {
                throw new AdminClient.Refused("cannot read the server's queue listing: " + e.getMessage());
            }
            out.print(Mailq.format(entries, parent.zone));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one message and each recipient's state.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "ID", description = "The queue id.")
        String id;

        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.Refused {
            JsonNode node = client.send("GET", "/queue/" + checkId(id));
            QueueEntry e;
            try {
                e = AdminJson.MAPPER.treeToValue(node, QueueEntry.class);
            } catch (IOException ex) {
                throw new AdminClient.Refused("cannot read the server's answer: " + ex.getMessage());
            }
            out.println("Queue ID:   " + e.id() + (e.held() ? " (held)" : ""));
            out.println("Size:       " + e.size() + " bytes");
            out.println("Arrival:    " + e.arrival() + " (" + e.arrival().atZone(parent.zone).withNano(0).toOffsetDateTime() + ")");
            out.println("Sender:     " + (e.sender() == null || e.sender().isEmpty() ? "<>" : Mailq.printable(e.sender())));
            out.println("Recipients: " + e.recipients().size());
            for (RecipientState r : e.recipients()) {
                out.println("  " + Mailq.printable(r.recipient()));
                out.println("    state:        " + r.state());
                out.println("    attempts:     " + r.attempts());
                out.println("    next attempt: " + orDash(r.nextAttempt()));
                out.println("    last error:   " + (r.lastError() == null ? "-" : Mailq.printable(r.lastError())));
            }
        }

        private static String orDash(Instant t) {
            return t == null ? "-" : t.toString();
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = "Retry deferred recipients now: of one message, or of all when no ID is given.")
    static final class Flush extends Sub {
        @Parameters(paramLabel = "ID", arity = "0..1", description = "The queue id (default: every message).")
        String id;

        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.Refused {
            String path = id == null ? "/queue/flush" : "/queue/" + checkId(id) + "/flush";
            int n = client.send("POST", path).path("flushed").asInt();
            out.println("flushed " + n + (n == 1 ? " message" : " messages"));
        }
    }

    /** hold, release, delete and bounce: one request about one message, one line of result. */
    abstract static class OneMessage extends Sub {
        @Parameters(paramLabel = "ID", description = "The queue id.")
        String id;

        private final String method;
        private final String action;
        private final String done;

        OneMessage(String method, String action, String done) {
            this.method = method;
            this.action = action;
            this.done = done;
        }

        @Override
        final void run(AdminClient client, PrintWriter out) throws AdminClient.Refused {
            client.send(method, "/queue/" + checkId(id) + action);
            out.println(done + " " + id);
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, description = "Stop delivery attempts for a message until it is released.")
    static final class Hold extends OneMessage {
        Hold() {
            super("POST", "/hold", "held");
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Let a held message be delivered again.")
    static final class Release extends OneMessage {
        Release() {
            super("POST", "/release", "released");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove a message without a bounce.")
    static final class Delete extends OneMessage {
        Delete() {
            super("DELETE", "", "deleted");
        }
    }

    @Command(name = "bounce", mixinStandardHelpOptions = true,
            description = "Give up on a message's undelivered recipients now and bounce them to the sender.")
    static final class Bounce extends OneMessage {
        Bounce() {
            super("POST", "/bounce", "bounced");
        }
    }
}
