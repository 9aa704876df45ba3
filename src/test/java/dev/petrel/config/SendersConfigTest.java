package dev.petrel.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** [senders] and [senders.allowed]: defaults, a full table, and every mistake with its line. */
class SendersConfigTest {
    @TempDir Path dir;

    @Test
    void defaults() throws Exception {
        assertThat(ConfigLoader.defaults().policy().senders()).isEqualTo(PetrelConfig.Policy.DEFAULTS.senders());
        assertThat(load("[senders]\n").policy().senders()).isEqualTo(new PetrelConfig.Senders(Map.of(), true, true));
    }

    @Test
    void fullTable() throws Exception {
        PetrelConfig.Senders s = load("""
                [senders]
                check_from_header = false
                refuse_local_sender_from_outside = false
                [senders.allowed]
                alice = ["Alice@Example.com", "@sales.example.com"]
                app = "*"
                "carol@example.net" = []
                """.replace("\"carol@example.net\" = []\n", "\"carol@example.net\" = [\"carol@example.net\"]\n"))
                .policy().senders();
        assertThat(s).isEqualTo(new PetrelConfig.Senders(Map.of(
                "alice", List.of("alice@example.com", "@sales.example.com"),
                "app", List.of("*"),
                "carol@example.net", List.of("carol@example.net")), false, false));
    }

    @Test
    void mistakesNameTheLine() throws Exception {
        List<String> p = problems("""
                [senders]
                check_from_header = "yes"
                refuse_local = true
                [senders.allowed]
                alice = ["alice"]
                bob = ["*@example.com"]
                carol = 7
                dave = []
                "bad name" = "*"
                erin = ["e@exa mple.com"]
                """);
        assertThat(p).extracting(t -> t.substring(t.indexOf("petrel.toml:") + "petrel.toml:".length())).containsExactly(
                "2: senders.check_from_header = \"yes\" is not valid; use true or false (without quotes)",
                "3: unknown key 'refuse_local' in [senders] "
                        + "(known keys: check_from_header, refuse_local_sender_from_outside, allowed)",
                "5: senders.allowed.alice = [\"alice\"] is not valid: \"alice\" has no '@'; write \"alice@example.com\" "
                        + "for one address, \"@example.com\" for any address in that domain, or \"*\" for any address",
                "6: senders.allowed.bob = [\"*@example.com\"] is not valid: \"*@example.com\" has a local part with '*'; "
                        + "wildcards other than a lone \"*\" are not supported; write \"alice@example.com\" "
                        + "for one address, \"@example.com\" for any address in that domain, or \"*\" for any address",
                "7: senders.allowed.carol = 7 is not valid: 7 is not a quoted string; write \"alice@example.com\" "
                        + "for one address, \"@example.com\" for any address in that domain, or \"*\" for any address",
                "8: senders.allowed.dave = [] is empty, which would forbid this user every sender but <>; write "
                        + "\"alice@example.com\" for one address, \"@example.com\" for any address in that domain, or \"*\" for "
                        + "any address, or remove the line to allow the user's own addresses",
                "9: senders.allowed.bad name = \"*\" is not valid: 'bad name' cannot be a user name (1 to 64 of A-Z, a-z, "
                        + "0-9, '.', '_', '@', '+', '-'); write the name exactly as in the users file, quoted when it has '.' or '@'",
                "10: senders.allowed.erin = [\"e@exa mple.com\"] is not valid: \"e@exa mple.com\" does not end in a domain "
                        + "name; write \"alice@example.com\" for one address, \"@example.com\" for any address in that domain, "
                        + "or \"*\" for any address");
    }

    private PetrelConfig load(String text) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve("petrel.toml"), text));
    }

    private List<String> problems(String text) throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(Files.writeString(dir.resolve("petrel.toml"), text)));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }
}
