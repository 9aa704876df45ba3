package dev.petrel.policy;

import dev.petrel.config.PetrelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalRecipientsTest {
    private static final Map<String, List<String>> ALIASES = Map.of(
            "info", List.of("alice", "bob"),
            "Sales", List.of("team", "carol"),       // team is an alias: one level of nesting
            "team", List.of("dave", "alice"),
            "deep", List.of("sales"),                 // deep -> sales -> team is two levels: team dropped
            "self", List.of("self", "bob"),           // points to itself: no endless loop; self is no user
            "loop1", List.of("loop2"),
            "loop2", List.of("loop1"),
            "evil", List.of("../etc", "a/b", "ok"));

    private static LocalRecipients table(String catchAll) {
        return new LocalRecipients(new PetrelConfig.Local(Path.of("/var/mail"), List.of("alice", "Bob", "carol"),
                ALIASES, catchAll, null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            alice          | alice
            ALICE          | alice
            Bob            | bob
            carol          | carol
            info           | alice bob
            INFO           | alice bob
            sales          | dave alice carol
            deep           | carol
            self           | bob
            loop1          | -
            loop2          | -
            evil           | ok
            alice+news     | alice
            Alice+News+x   | alice
            info+tag       | alice bob
            +alice         | -
            nobody         | -
            nobody+alice   | -
            postmaster     | postmaster
            PostMaster     | postmaster
            postmaster+x   | postmaster
            "alice"        | alice
            ../etc         | -
            """)
    void resolvesWithoutCatchAll(String localPart, String expected) {
        assertThat(table(null).resolve(localPart)).containsExactlyElementsOf(split(expected));
        assertThat(table(null).accepts(localPart)).isEqualTo(expected != null);
    }

    @Test
    void catchAllTakesUnknownPartsOnly() {
        LocalRecipients t = table("Catchall");
        assertThat(t.resolve("nobody")).containsExactly("catchall");
        assertThat(t.resolve("../../etc/passwd")).containsExactly("catchall");
        assertThat(t.resolve("loop1")).containsExactly("catchall");
        assertThat(t.resolve("alice+x")).containsExactly("alice");
        assertThat(t.resolve("info")).containsExactly("alice", "bob");
    }

    @Test
    void anAliasMayKeepTheUsersOwnMailbox() {
        // Postfix style "bob: bob, archive": bob's own mailbox plus a copy.
        LocalRecipients t = new LocalRecipients(new PetrelConfig.Local(Path.of("/m"), List.of("bob"),
                Map.of("bob", List.of("bob", "archive")), null, null));
        assertThat(t.resolve("Bob")).containsExactly("bob", "archive");
        assertThat(t.resolve("bob+x")).containsExactly("bob", "archive");
    }

    @Test
    void postmasterAliasWinsOverTheImplicitUser() {
        LocalRecipients t = new LocalRecipients(new PetrelConfig.Local(Path.of("/m"), List.of("root"),
                Map.of("PostMaster", List.of("root")), null, null));
        assertThat(t.resolve("postmaster")).containsExactly("root");
        assertThat(t.resolve("postmaster+bounces")).containsExactly("root");
    }

    @Test
    void postmasterResolvesWithNoUsersAtAll() {
        LocalRecipients t = new LocalRecipients(new PetrelConfig.Local(Path.of("/m"), List.of(), Map.of(), null, null));
        assertThat(t.resolve("postmaster")).containsExactly("postmaster");
        assertThat(t.resolve("alice")).isEmpty();
    }

    @Test
    void lmtpWithoutUsersAcceptsEveryLocalPart() {
        InetSocketAddress lmtp = new InetSocketAddress("127.0.0.1", 24);
        LocalRecipients any = new LocalRecipients(new PetrelConfig.Local(Path.of("/m"), List.of(),
                Map.of("info", List.of("alice")), null, lmtp));
        assertThat(any.resolve("Zoe")).containsExactly("zoe");
        assertThat(any.resolve("zoe+tag")).containsExactly("zoe+tag");
        assertThat(any.resolve("info")).containsExactly("alice");
        assertThat(any.resolve("a/b")).isEmpty();

        LocalRecipients listed = new LocalRecipients(new PetrelConfig.Local(Path.of("/m"), List.of("alice"),
                Map.of(), null, lmtp));
        assertThat(listed.resolve("zoe")).isEmpty();
        assertThat(listed.resolve("alice")).containsExactly("alice");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            alice     | true
            a.b-c_d+e | true
            .         | false
            ..        | false
            a..b      | false
            a/b       | false
            a\\b      | false
            ''        | false
            """)
    void safeMailboxNames(String name, boolean safe) {
        assertThat(LocalRecipients.isSafeMailboxName(name)).isEqualTo(safe);
    }

    @Test
    void controlCharactersAreNotSafe() {
        assertThat(LocalRecipients.isSafeMailboxName("a\nb")).isFalse();
        assertThat(LocalRecipients.isSafeMailboxName("a\u0000b")).isFalse();
        assertThat(LocalRecipients.isSafeMailboxName("a\u007fb")).isFalse();
    }

    private static List<String> split(String s) {
        return s == null ? List.of() : Arrays.asList(s.split(" "));
    }
}
