package dev.petrel.config;

import dev.petrel.config.PetrelConfig.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** [limits]: defaults, a full table, and each mistake on its own line. */
class LimitsConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsWithAndWithoutTheTable() throws Exception {
        Limits defaults = new Limits(64 * 1024, 20, 1000, 0, 60, true);
        assertThat(ConfigLoader.defaults().policy().limits()).isEqualTo(defaults);
        assertThat(load("[limits]\n").policy().limits()).isEqualTo(defaults);
    }

    @Test
    void fullTable() throws Exception {
        Limits l = load("""
                [limits]
                max_header_size = "128KiB"
                max_mime_depth = 10
                max_commands_per_session = 500
                min_data_rate = "1KiB/s"
                max_new_connections_per_ip_per_minute = 0
                forbid_unauth_pipelining = false
                busy_connections = 50
                """).policy().limits();
        assertThat(l).isEqualTo(new Limits(128 * 1024, 10, 500, 1024, 0, false, 50));
        assertThat(l.busyFrom(1000)).isEqualTo(50);
        // Not set: busy from 80% of server.max_connections.
        assertThat(load("[limits]\n").policy().limits().busyFrom(1000)).isEqualTo(800);
        assertThat(load("[limits]\nmin_data_rate = \"2KB\"\n").policy().limits().minDataRate()).isEqualTo(2000);
        assertThat(load("[limits]\nmin_data_rate = 0\n").policy().limits().minDataRate()).isZero();
        assertThat(load("[limits]\nmax_header_size = 2048\n").policy().limits().maxHeaderSize()).isEqualTo(2048);
    }

    @Test
    void mistakesAreReportedWithTheirLines() throws Exception {
        String f = dir.resolve("petrel.toml").toString();
        assertThat(problems("""
                [limits]
                max_header_size = "100B"
                max_mime_depth = 0
                max_commands_per_session = "many"
                min_data_rate = "fast"
                max_new_connections_per_ip_per_minute = -1
                forbid_unauth_pipelining = "yes"
                max_header_sise = 5
                """)).containsExactly(
                f + ":2: limits.max_header_size = \"100B\" is out of range: use at least \"1KiB\" and less than \"2GiB\"",
                f + ":3: limits.max_mime_depth = 0 is not valid; use a whole number from 1 to 1000",
                f + ":4: limits.max_commands_per_session = \"many\" is not valid; use a whole number from 10 to 100000000",
                f + ":5: limits.min_data_rate = \"fast\" is not a rate; write octets per second as a whole number or a string "
                        + "such as \"1KiB\" or \"1KiB/s\" (units B, KB, KiB, MB, MiB), or 0 to turn the check off",
                f + ":6: limits.max_new_connections_per_ip_per_minute = -1 is not valid; use a whole number from 0 to 1000000",
                f + ":7: limits.forbid_unauth_pipelining = \"yes\" is not valid; use true or false (without quotes)",
                f + ":8: unknown key 'max_header_sise' in [limits]; did you mean 'max_header_size'? (known keys: "
                        + "max_header_size, max_mime_depth, max_commands_per_session, min_data_rate, "
                        + "max_new_connections_per_ip_per_minute, forbid_unauth_pipelining, busy_connections)");
    }

    private PetrelConfig load(String text) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve("petrel.toml"), text));
    }

    private List<String> problems(String text) throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(text));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }
}
