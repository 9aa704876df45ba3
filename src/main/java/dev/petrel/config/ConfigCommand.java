package dev.petrel.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code petrel check-config FILE}: loads the file exactly as the server would and says whether it
 * is usable. Exit codes: 0 valid; 1 invalid or unreadable (every problem printed to stderr, one per
 * line); 2 usage error (no FILE given), as picocli does for any command.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check a configuration file and print its listeners, or every problem found.")
public final class ConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the TOML configuration file, such as petrel.toml")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            PetrelConfig config = ConfigLoader.load(file);
            spec.commandLine().getOut().println("OK: " + file + ": " + summary(config));
            return 0;
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }

    /** {@code 3 listeners (smtp 127.0.0.1:2525 mx starttls, ...)} */
    static String summary(PetrelConfig config) {
        int n = config.listeners().size();
        return n + (n == 1 ? " listener (" : " listeners (") + config.listeners().stream()
                .map(l -> l.name() + " " + ListenerAddress.format(l.address()) + " "
                        + l.mode().name().toLowerCase(Locale.ROOT) + " " + l.tls().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")) + ")";
    }
}
