package dev.petrel.config;

import dev.petrel.config.PetrelConfig.Dnsbl;
import dev.petrel.config.PetrelConfig.DnsblStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** [[dnsbl]]: defaults, every key, and mistakes reported with file:line. */
class DnsblConfigTest {
    @TempDir
    Path dir;

    @Test
    void noTablesNoLists() throws Exception {
        assertThat(ConfigLoader.load(write("")).policy().dnsbls()).isEmpty();
    }

    @Test
    void defaultsAndAllKeys() throws Exception {
        PetrelConfig c = ConfigLoader.load(write("""
                [[dnsbl]]
                zone = "Zen.Example.ORG."

                [[dnsbl]]
                zone = "bl.example.net"
                stage = "connect"
                reply = "go away $ip ($zone)"
                codes = ["127.0.0.2", " 127.0.0.4 "]
                action = "quarantine"
                """));
        assertThat(c.policy().dnsbls()).containsExactly(
                new Dnsbl("zen.example.org", DnsblStage.RCPT, "Service unavailable; client [$ip] blocked using $zone", List.of()),
                new Dnsbl("bl.example.net", DnsblStage.CONNECT, "go away $ip ($zone)", List.of("127.0.0.2", "127.0.0.4"),
                        PetrelConfig.DnsblAction.QUARANTINE));
    }

    @Test
    void mistakesNameTheLine() throws Exception {
        assertThat(problems("""
                [[dnsbl]]
                stage = "helo"

                [[dnsbl]]
                zone = "localhost"
                codes = ["10.0.0.1"]
                reply = "two\\nlines"
                colour = 1
                """)).containsExactly(
                file() + ":1: [[dnsbl]] #1 has no zone; add zone = \"zen.spamhaus.org\" (the block list's DNS zone)",
                file() + ":2: [[dnsbl]] #1: stage = \"helo\" is not valid; use \"connect\" or \"rcpt\"",
                file() + ":5: [[dnsbl]] #2: zone = \"localhost\" is not a DNS zone; write the list's zone, such as \"zen.spamhaus.org\"",
                file() + ":6: [[dnsbl]] #2: codes = [\"10.0.0.1\"] is not valid: \"10.0.0.1\" is not an answer a block list gives; "
                        + "write IPv4 addresses in 127.0.0.0/8, such as [\"127.0.0.2\", \"127.0.0.4\"]",
                file() + ":7: [[dnsbl]] #2: reply = \"two\\nlines\" is not valid; use one line of up to 400 printable ASCII characters ($ip and $zone are replaced)",
                file() + ":8: unknown key 'colour' in [[dnsbl]] #2 (known keys: zone, stage, reply, codes, action)");
    }

    @Test
    void notAnArrayOfTables() throws Exception {
        assertThat(problems("\n[dnsbl]\nzone = \"bl.example.net\"\n")).containsExactly(
                file() + ":2: dnsbl must be an array of tables; write each block list as a [[dnsbl]] table (double brackets)");
    }

    @Test
    void sameZoneTwiceForOneStage() throws Exception {
        assertThat(problems("[[dnsbl]]\nzone = \"bl.example.net\"\n[[dnsbl]]\nzone = \"bl.example.net\"\n")).containsExactly(
                file() + ":4: [[dnsbl]] #2: zone \"bl.example.net\" is already listed for the same stage; remove one of the two [[dnsbl]] tables");
    }

    private String file() {
        return dir.resolve("petrel.toml").toString();
    }

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("petrel.toml"), text);
    }

    private List<String> problems(String text) throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(write(text)));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }
}
