package dev.petrel.config;

import java.util.List;

/**
 * A configuration file that cannot be used. The message holds one problem per line, each naming
 * the file and (when there is one) the line, and saying how to fix it, like a compiler:
 * {@code petrel.toml:12: unknown key 'max_conection' in [server]; did you mean 'max_connections'?}
 */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("a ConfigException needs at least one problem");
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /** Every problem found, in file order, each already prefixed with {@code file:line:}. */
    public List<String> problems() {
        return problems;
    }
}
