package dev.petrel.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UserCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code user ARGS} with {@code stdin} as standard input; returns the exit code. */
    private int run(String stdin, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return new CommandLine(new UserCommand())
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute(args);
        } finally {
            System.setIn(saved);
        }
    }

    private String file() {
        return dir.resolve("users").toString();
    }

    @Test
    void addListPasswdRemove() {
        assertThat(run("s3cret\n", "add", "alice", "--users-file", file(), "--password-stdin")).isZero();
        assertThat(run("pw\r\nignored second line\n", "add", "bob", "--users-file", file(), "--password-stdin")).isZero();

        assertThat(run("", "list", "--users-file", file())).isZero();
        assertThat(out.toString().lines()).containsExactly("alice", "bob");

        UserStore store = new UserStore(Path.of(file()));
        assertThat(store.verifyPassword("alice", "s3cret")).isTrue();
        assertThat(store.verifyPassword("bob", "pw")).isTrue();

        assertThat(run("n3w\n", "passwd", "alice", "--users-file", file(), "--password-stdin")).isZero();
        UserStore after = new UserStore(Path.of(file()));
        assertThat(after.verifyPassword("alice", "s3cret")).isFalse();
        assertThat(after.verifyPassword("alice", "n3w")).isTrue();

        assertThat(run("", "remove", "bob", "--users-file", file())).isZero();
        run("", "list", "--users-file", file());
        assertThat(out.toString().lines()).containsExactly("alice");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void refusalsExitOneWithOneLineOnStderr() {
        run("pw\n", "add", "alice", "--users-file", file(), "--password-stdin");

        assertThat(run("pw\n", "add", "alice", "--users-file", file(), "--password-stdin")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("petrel user add: user 'alice' already exists; use 'passwd' to change the password\n");

        assertThat(run("pw\n", "passwd", "carol", "--users-file", file(), "--password-stdin")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("petrel user passwd: no user 'carol' in " + file() + "\n");

        assertThat(run("", "remove", "carol", "--users-file", file())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("petrel user remove: no user 'carol' in " + file() + "\n");

        assertThat(run("pw\n", "add", "bad name", "--users-file", file(), "--password-stdin")).isEqualTo(1);
        assertThat(err.toString()).startsWith("petrel user add: invalid user name 'bad name'");

        assertThat(run("", "add", "dave", "--users-file", file(), "--password-stdin")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("petrel user add: no password on the first line of stdin\n");

        run("", "list", "--users-file", file());
        assertThat(out.toString().lines()).containsExactly("alice");
    }

    @Test
    void withoutTerminalOrPasswordStdinItSaysHowToPassThePassword() {
        // Tests run without a terminal, so the prompt is impossible.
        assertThat(run("pw\n", "add", "alice", "--users-file", file())).isEqualTo(1);
        assertThat(err.toString()).contains("--password-stdin");
        assertThat(new UserStore(Path.of(file())).usernames()).isEmpty();
    }

    @Test
    void badUsersFileIsReportedWithItsLine() throws Exception {
        java.nio.file.Files.writeString(Path.of(file()), "# users\nalice:oops\n");
        assertThat(run("", "list", "--users-file", file())).isEqualTo(1);
        assertThat(err.toString()).startsWith("petrel user list: " + file() + ":2: bad password hash for 'alice'");
    }

    @Test
    void withoutUsersFileTheConfigNamesIt() throws Exception {
        Path dir = Path.of(file()).getParent();
        Path config = dir.resolve("petrel.toml");
        java.nio.file.Files.writeString(config, "[auth]\nusers_file = \"from-config\"\n");
        assertThat(run("pw\n", "add", "carol", "--password-stdin", "--config", config.toString())).isZero();
        assertThat(new UserStore(dir.resolve("from-config")).usernames()).containsExactly("carol");
    }

    @Test
    void usageErrorsAndHelp() {
        assertThat(run("", "list", "--config", file() + ".missing.toml")).isEqualTo(1);
        assertThat(err.toString()).contains(".missing.toml").contains("not found");
        assertThat(run("")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand");
        assertThat(run("", "--help")).isZero();
        assertThat(out.toString()).contains("add", "passwd", "remove", "list");
    }

    @Test
    void worksAsASubcommandOfAnotherCommand() {
        @CommandLine.Command(name = "petrel")
        class Top {}
        CommandLine top = new CommandLine(new Top()).addSubcommand(new UserCommand())
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream("pw\n".getBytes(StandardCharsets.UTF_8)));
        try {
            assertThat(top.execute("user", "add", "alice", "--users-file", file(), "--password-stdin")).isZero();
        } finally {
            System.setIn(saved);
        }
        assertThat(new UserStore(Path.of(file())).usernames()).containsExactly("alice");
    }
}
