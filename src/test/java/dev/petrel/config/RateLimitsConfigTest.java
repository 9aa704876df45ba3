package dev.petrel.config;

import dev.petrel.config.PetrelConfig.Rate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** [rate_limits]: defaults, a full table, and each mistake with its line. */
class RateLimitsConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreUnlimitedWithTenAuthFailuresPer15Minutes() {
        assertThat(ConfigLoader.defaults().policy().rates()).isEqualTo(new PetrelConfig.RateLimits(
                Rate.NONE, Rate.NONE, Rate.NONE, Rate.NONE, 10, Duration.ofMinutes(15)));
    }

    @Test
    void fullTable() throws Exception {
        PetrelConfig c = ConfigLoader.load(write("""
                [rate_limits]
                messages_per_user = "100/1m"
                recipients_per_user = "1000 / 1h"
                messages_per_ip = "0"
                recipients_per_ip = 0
                auth_failures_per_user = 5
                auth_failure_window = "30m"
                """));
        assertThat(c.policy().rates()).isEqualTo(new PetrelConfig.RateLimits(
                new Rate(100, Duration.ofMinutes(1)), new Rate(1000, Duration.ofHours(1)), Rate.NONE, Rate.NONE,
                5, Duration.ofMinutes(30)));
    }

    @Test
    void mistakesNameTheLineAndTheFix() throws Exception {
        List<String> problems = problems("""
                [rate_limits]
                messages_per_user = "100 per minute"
                recipients_per_user = "10/0s"
                messages_per_ip = "5/1y"
                recipients_per_ip = 50
                auth_failures_per_user = -1
                auth_failure_window = "0s"
                messages_per_usr = "1/1s"
                """);
        String f = dir.resolve("petrel.toml") + ":";
        assertThat(problems).hasSize(7);
        assertThat(problems.subList(0, 6)).containsExactly(
                f + "2: rate_limits.messages_per_user = \"100 per minute\" is not valid; write \"N/duration\" such as "
                        + "\"100/1m\" or \"1000/1h\" (units ms, s, m, h, d), or \"0\" for no limit",
                f + "3: rate_limits.recipients_per_user = \"10/0s\" is not valid: the window is zero; use a window of at "
                        + "least 1ms, such as \"10/1m\"",
                f + "4: rate_limits.messages_per_ip = \"5/1y\" is not valid: \"1y\" is not a duration; " + Units.DURATION_HINT,
                f + "5: rate_limits.recipients_per_ip = 50 is not valid; write \"N/duration\" such as \"100/1m\" or "
                        + "\"1000/1h\" (units ms, s, m, h, d), or \"0\" for no limit",
                f + "6: rate_limits.auth_failures_per_user = -1 is not valid; use a whole number from 0 to 1000000",
                f + "7: rate_limits.auth_failure_window = \"0s\" is out of range: it must be longer than zero");
        assertThat(problems.get(6)).startsWith(f + "8: ").contains("messages_per_usr").contains("messages_per_user");
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
