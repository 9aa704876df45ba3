package dev.petrel.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TomlLocatorTest {
    private static final String TEXT = """
            # a comment with key = 1 and [fake]
            top = "x"
            [server]
            hostname = "a#b"   # trailing comment
            "data_dir" = '''
            [not_a_table]
            fake = 1
            '''
            max_connections = 5

            [relay]
            trusted_networks = [
              "127.0.0.0/8",  # [loopback]
              ["nested"],
            ]
            local_domains = []

            [[listener]]
            name = "a"

            [[listener]]
            name = "b"
            [listener.extra]
            x = 1
            [auth.sub]
            y.z = 2
            """;

    private final TomlLocator locator = TomlLocator.scan(TEXT);

    @Test
    void findsKeysAndTables() {
        assertThat(locator.line("top")).isEqualTo(2);
        assertThat(locator.line("server")).isEqualTo(3);
        assertThat(locator.line("server.hostname")).isEqualTo(4);
        assertThat(locator.line("server.data_dir")).isEqualTo(5);
        assertThat(locator.line("server.max_connections")).isEqualTo(9);
        assertThat(locator.line("relay.trusted_networks")).isEqualTo(12);
        assertThat(locator.line("relay.local_domains")).isEqualTo(16);
    }

    @Test
    void countsArrayTableElements() {
        assertThat(locator.line("listener")).isEqualTo(18);
        assertThat(locator.line("listener[0]")).isEqualTo(18);
        assertThat(locator.line("listener[0].name")).isEqualTo(19);
        assertThat(locator.line("listener[1]")).isEqualTo(21);
        assertThat(locator.line("listener[1].name")).isEqualTo(22);
        assertThat(locator.line("listener[1].extra.x")).isEqualTo(24);
    }

    @Test
    void fallsBackToTheNearestWrittenPlace() {
        assertThat(locator.line("server.nope")).isEqualTo(3);
        assertThat(locator.line("listener[1].mode")).isEqualTo(21);
        assertThat(locator.line("auth")).isEqualTo(25);
        assertThat(locator.line("auth.sub.y.z")).isEqualTo(26);
        assertThat(locator.line("smtp")).isZero();
        assertThat(locator.line("not_a_table")).isZero();
    }

    @Test
    void findsTheFirstDuplicateKey() {
        assertThat(TomlLocator.scan("[a]\nx = 1\ny = 2\nx = 3\n").duplicateKeyLine()).isEqualTo(4);
        assertThat(locator.duplicateKeyLine()).isZero();
    }
}
