package dev.petrel.auth;

import dev.petrel.config.ConfigException;
import dev.petrel.config.ConfigLoader;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code petrel user add|passwd|remove|list}: manage the users file. A running server picks the
 * change up within a second or two. Exit codes: 0 done, 1 refused (the reason is one line on
 * stderr), 2 bad command line.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage the users who may log in with SMTP AUTH.",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Remove.class,
                UserCommand.ListUsers.class})
public final class UserCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: add, passwd, remove or list");
    }

    /** Options every subcommand takes. */
    static final class FileOption {
        @Option(names = "--users-file", paramLabel = "FILE",
                description = "The users file (default: auth.users_file of the config).")
        Path usersFile;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Petrel's config file, to find the users file (default: the embedded defaults, ./petrel-data/users).")
        Path config;

        /** The users file named on the command line, or the one the config names; its directory is created. */
        Path resolve() throws Refused {
            Path file = usersFile;
            if (file == null) {
                try {
                    file = (config == null ? ConfigLoader.defaults() : ConfigLoader.load(config)).auth().usersFile();
                } catch (ConfigException e) {
                    throw new Refused(e.getMessage());
                }
            }
            Path dir = file.toAbsolutePath().getParent();
            try {
                if (dir != null) Files.createDirectories(dir);
            } catch (IOException e) {
                throw new Refused("cannot create " + dir + ": " + e.getMessage());
            }
            return file;
        }
    }

    static final class PasswordOption {
        @Option(names = "--password-stdin",
                description = "Read the password from the first line of standard input instead of prompting.")
        boolean fromStdin;
    }

    /** A refusal the user can fix: printed as one line, exit code 1. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Shared run/error handling: every subcommand reports failures the same way. */
    abstract static class Sub implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        FileOption file;

        abstract void run(UserStore store) throws Refused;

        @Override
        public final Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                run(new UserStore(file.resolve()));
                return 0;
            } catch (Refused | UserFileException | IllegalArgumentException e) {
                err.println("petrel user " + spec.name() + ": " + e.getMessage());
                err.flush();
                return 1;
            }
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user.")
    static final class Add extends Sub {
        @Parameters(paramLabel = "NAME", description = "1-64 characters of A-Z a-z 0-9 . _ @ + -")
        String name;

        @Mixin
        PasswordOption password;

        @Override
        void run(UserStore store) throws Refused {
            if (!UserStore.isValidUsername(name)) {
                throw new Refused("invalid user name '" + name + "': use 1-64 characters of A-Z a-z 0-9 . _ @ + -");
            }
            if (store.contains(name)) {
                throw new Refused("user '" + name + "' already exists; use 'passwd' to change the password");
            }
            if (!store.add(name, readPassword(password.fromStdin, name))) {
                throw new Refused("user '" + name + "' already exists");
            }
            out().println("added user " + name);
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Change a user's password.")
    static final class Passwd extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        PasswordOption password;

        @Override
        void run(UserStore store) throws Refused {
            if (!store.contains(name)) {
                throw new Refused("no user '" + name + "' in " + file.usersFile);
            }
            if (!store.setPassword(name, readPassword(password.fromStdin, name))) {
                throw new Refused("no user '" + name + "' in " + file.usersFile);
            }
            out().println("changed password of " + name);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user.")
    static final class Remove extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(UserStore store) throws Refused {
            if (!UserStore.isValidUsername(name) || !store.remove(name)) {
                throw new Refused("no user '" + name + "' in " + file.usersFile);
            }
            out().println("removed user " + name);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the user names, one a line.")
    static final class ListUsers extends Sub {
        @Override
        void run(UserStore store) {
            store.usernames().forEach(out()::println);
            out().flush();
        }
    }

    private static String readPassword(boolean fromStdin, String name) throws Refused {
        if (fromStdin) {
            String line;
            try {
                // Not closed: closing would close System.in for the rest of the process.
                line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new Refused("cannot read the password from stdin: " + e.getMessage());
            }
            if (line == null || line.isEmpty()) {
                throw new Refused("no password on the first line of stdin");
            }
            return line;
        }
        Console console = System.console();

        if (console == null || !isTerminal(console)) {
            throw new Refused("no terminal to ask for the password; pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("New password for %s: ", name);
        char[] second = first == null ? null : console.readPassword("Repeat the password: ");
        try {
            if (first == null || second == null || first.length == 0) {
                throw new Refused("no password entered");
            }
            if (!Arrays.equals(first, second)) {
                throw new Refused("the passwords do not match; nothing changed");
            }
            return new String(first);
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    /**
     * Java 22+ returns a Console even when input is redirected and tells with isTerminal(); Java 21
     * returns null then. Reflection keeps both right without requiring 22.
     */
    static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
