package dev.petrel.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new ConfigCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void validFile() throws Exception {
        Path file = Files.writeString(dir.resolve("petrel.toml"), "");
        assertThat(run(file.toString())).isZero();
        assertThat(out.toString()).isEqualTo("OK: " + file + ": 3 listeners (smtp 127.0.0.1:2525 mx starttls, "
                + "submission 127.0.0.1:2587 submission starttls, submissions 127.0.0.1:2465 submission implicit)" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void invalidFile() throws Exception {
        Path file = Files.writeString(dir.resolve("petrel.toml"), "[smtp]\nmax_errors = 0\nlong_lines = 1\n");
        assertThat(run(file.toString())).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                file + ":2: smtp.max_errors = 0 is not valid; use a whole number from 1 to 1000",
                file + ":3: smtp.long_lines = 1 is not valid; use \"reject\" or \"accept\"");
    }

    @Test
    void missingFile() {
        assertThat(run(dir.resolve("x.toml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("file not found");
    }

    @Test
    void noFileIsAUsageError() {
        assertThat(run()).isEqualTo(2);
    }
}
