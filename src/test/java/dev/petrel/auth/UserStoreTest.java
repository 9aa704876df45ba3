package dev.petrel.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserStoreTest {
    @TempDir
    Path dir;

    private static final PasswordHasher CHEAP = new PasswordHasher(64, 1, 1);

    private UserStore open(Path file) {
        return new UserStore(file, CHEAP, Duration.ZERO);
    }

    @Test
    void addedUserCanLogInAfterReopeningAndFileIsPrivate() throws Exception {
        Path file = dir.resolve("users");
        UserStore store = open(file);
        assertThat(store.usernames()).isEmpty(); // a missing file is an empty store
        assertThat(store.add("alice@example.com", "s3cret")).isTrue();
        assertThat(store.add("alice@example.com", "other")).isFalse();

        UserStore reopened = open(file);
        assertThat(reopened.usernames()).containsExactly("alice@example.com");
        assertThat(reopened.verifyPassword("alice@example.com", "s3cret")).isTrue();
        assertThat(reopened.verifyPassword("alice@example.com", "wrong")).isFalse();
        assertThat(reopened.verifyPassword("Alice@example.com", "s3cret")).isFalse();
        assertThat(reopened.verifyPassword("nobody", "s3cret")).isFalse();
        assertThat(reopened.scramSha256("alice@example.com")).hasValueSatisfying(c -> {
            assertThat(c.iterations()).isEqualTo(4096);
            assertThat(c.salt()).hasSize(16);
        });
        assertThat(reopened.scramSha256("nobody")).isEmpty();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).doesNotContain("s3cret");
        assertThat(text.lines().filter(l -> !l.startsWith("#")))
                .singleElement().asString()
                .matches("alice@example\\.com:\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[^:]+:SCRAM-SHA-256\\$4096:.+");
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers).containsExactly(file); // no temp files left behind
        }
    }

    @Test
    void passwdAndRemoveKeepCommentsAndOtherUsers() throws Exception {
        Path file = dir.resolve("users");
        UserStore store = open(file);
        store.add("alice", "one");
        store.add("bob", "two");
        Files.writeString(file, "# hand-written note\n" + Files.readString(file));

        assertThat(store.setPassword("alice", "three")).isTrue();
        assertThat(store.verifyPassword("alice", "one")).isFalse();
        assertThat(store.verifyPassword("alice", "three")).isTrue();
        assertThat(store.setPassword("carol", "x")).isFalse();

        assertThat(store.remove("bob")).isTrue();
        assertThat(store.remove("bob")).isFalse();
        assertThat(store.usernames()).containsExactly("alice");
        assertThat(Files.readString(file)).startsWith("# hand-written note\n");
    }

    @Test
    void rejectsBadNamesAndEmptyPasswords() {
        UserStore store = open(dir.resolve("users"));
        assertThatThrownBy(() -> store.add("has space", "pw")).hasMessageContaining("invalid user name 'has space'");
        assertThatThrownBy(() -> store.add("a:b", "pw")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.add("x".repeat(65), "pw")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.add("alice", "")).hasMessageContaining("password is empty");
        assertThat(store.usernames()).isEmpty();
    }

    @Test
    void badFileErrorNamesFileLineAndProblem() throws Exception {
        Path file = dir.resolve("users");
        String good = goodLine("alice");
        Files.writeString(file, "# comment\n\n" + good + "\nbob:not-a-hash\n");
        assertThatThrownBy(() -> open(file))
                .isInstanceOf(UserFileException.class)
                .hasMessageStartingWith(file + ":4: bad password hash for 'bob'");

        Files.writeString(file, good + "\n" + good + "\n");
        assertThatThrownBy(() -> open(file))
                .hasMessage(file + ":2: user 'alice' is already defined on line 1; remove one of the two");

        Files.writeString(file, "just-a-name\n");
        assertThatThrownBy(() -> open(file)).hasMessageStartingWith(file + ":1: expected name:argon2id-hash");

        Files.writeString(file, good.replace("SCRAM-SHA-256$4096", "SCRAM-SHA-256$10") + "\n");
        assertThatThrownBy(() -> open(file))
                .hasMessageStartingWith(file + ":1: bad SCRAM-SHA-256 verifier for 'alice': iteration count");
    }

    @Test
    void userWithoutScramVerifierCanStillUsePasswordMechanisms() throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "alice:" + CHEAP.hash("pw") + "\n");
        UserStore store = open(file);
        assertThat(store.verifyPassword("alice", "pw")).isTrue();
        assertThat(store.scramSha256("alice")).isEmpty();
    }

    @Test
    void seesChangesMadeByAnotherProcessAndKeepsUsersWhenTheFileGoesBad() throws Exception {
        Path file = dir.resolve("users");
        UserStore server = open(file);
        UserStore cli = open(file);

        cli.add("alice", "pw");
        assertThat(server.verifyPassword("alice", "pw")).isTrue();

        cli.remove("alice");
        cli.add("bob", "pw2");
        assertThat(server.usernames()).containsExactly("bob");

        Files.writeString(file, Files.readString(file) + "broken line\n");
        assertThat(server.usernames()).containsExactly("bob");
        assertThat(server.verifyPassword("bob", "pw2")).isTrue();
    }

    @Test
    void checksTheFileAtMostOncePerInterval() throws Exception {
        Path file = dir.resolve("users");
        UserStore server = new UserStore(file, CHEAP, Duration.ofHours(1));
        open(file).add("alice", "pw");
        assertThat(server.usernames()).isEmpty(); // not rechecked yet: reload is throttled
    }

    private static String goodLine(String name) {
        return name + ":" + CHEAP.hash("pw") + ":" + ScramCredentials.format(ScramCredentials.derive("pw"));
    }
}
