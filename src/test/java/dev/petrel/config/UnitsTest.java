package dev.petrel.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnitsTest {
    @Test
    void sizes() {
        assertThat(Units.parseSize("0")).isZero();
        assertThat(Units.parseSize("512")).isEqualTo(512);
        assertThat(Units.parseSize("512B")).isEqualTo(512);
        assertThat(Units.parseSize("10KB")).isEqualTo(10_000);
        assertThat(Units.parseSize("10KiB")).isEqualTo(10_240);
        assertThat(Units.parseSize("25MiB")).isEqualTo(26_214_400);
        assertThat(Units.parseSize("25 MB")).isEqualTo(25_000_000);
        assertThat(Units.parseSize("2GiB")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(Units.parseSize("3GB")).isEqualTo(3_000_000_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "1.5MiB", "-1", "25mb", "25 MeB", "1TB"})
    void badSizes(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is not a size; " + Units.SIZE_HINT);
    }

    @Test
    void hugeSize() {
        assertThatThrownBy(() -> Units.parseSize("99999999999GiB")).hasMessage("is too large");
    }

    @Test
    void durations() {
        assertThat(Units.parseDuration("0")).isEqualTo(Duration.ZERO);
        assertThat(Units.parseDuration("300")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Units.parseDuration("300s")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Units.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Units.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Units.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Units.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Units.parseDuration(" 3 m ")).isEqualTo(Duration.ofMinutes(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "1.5s", "-1s", "5M", "1h30m", "5 minutes"})
    void badDurations(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is not a duration; " + Units.DURATION_HINT);
    }
}
