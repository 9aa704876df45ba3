package dev.petrel.config;

import dev.petrel.config.PetrelConfig.Capture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureConfigTest {
    @TempDir Path dir;

    private PetrelConfig load(String toml) throws Exception {
        Path f = dir.resolve("petrel.toml");
        Files.writeString(f, toml);
        return ConfigLoader.load(f);
    }

    @Test
    void aConfigFileCapturesNothingUnlessItSaysSo() throws Exception {
        assertThat(load("").capture()).isEqualTo(Capture.OFF);
        assertThat(load("").capture().captures("example.com")).isFalse();
        assertThat(ConfigLoader.defaults().capture().captures("example.com")).isTrue();
    }

    @Test
    void allKeys() throws Exception {
        Capture c = load("""
                [capture]
                enabled = true
                domains = ["Example.com", ".test.example.org"]
                listen = "127.0.0.1:9025"
                max_messages = 500
                max_age = "2d"
                inbox_by = ["header:X-Test-Run", "user"]
                """).capture();
        assertThat(c).isEqualTo(new Capture(true, List.of("example.com", ".test.example.org"),
                new InetSocketAddress("127.0.0.1", 9025), 500, Duration.ofDays(2), List.of("header:X-Test-Run", "user")));
        assertThat(c.captures("example.com")).isTrue();
        assertThat(c.captures("a.test.example.org")).isTrue();
        assertThat(c.captures("test.example.org")).isTrue();
        assertThat(c.captures("gmail.com")).isFalse();
        assertThat(c.captures("notexample.com")).isFalse();
    }

    @Test
    void anInboxReachableFromOtherMachinesNeedsUsersAndTls() throws Exception {
        String f = dir.resolve("petrel.toml").toString();
        String needs = f + ":4: [capture] listen = \"0.0.0.0:8025\" is reachable from other machines, so the inbox needs "
                + "auth = \"users\" and tls = true";
        assertThatThrownBy(() -> load("[capture]\nenabled = true\n\nlisten = \"0.0.0.0:8025\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(needs);
        assertThatThrownBy(() -> load("[capture]\nenabled = true\nauth = \"users\"\nlisten = \"0.0.0.0:8025\"\n"))
                .as("a password over plain HTTP is no protection").isInstanceOf(ConfigException.class).hasMessageContaining(needs);
        assertThatThrownBy(() -> load("[capture]\nenabled = true\ntls = true\nlisten = \"0.0.0.0:8025\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(needs);

        Capture open = load("[capture]\nenabled = true\nauth = \"users\"\ntls = true\nlisten = \"0.0.0.0:8025\"\n").capture();
        assertThat(open.usersOnly()).isTrue();
        assertThat(open.tls()).isTrue();
        assertThat(load("[capture]\nenabled = true\n").capture().usersOnly()).as("loopback stays open by default").isFalse();
        assertThatThrownBy(() -> load("[capture]\nauth = \"htpasswd\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":2: capture.auth = \"htpasswd\" is not valid; use \"users\"");
    }

    @Test
    void mistakesNameTheirLines() {
        String f = dir.resolve("petrel.toml").toString();
        assertThatThrownBy(() -> load("""
                [capture]
                domains = ["not a domain"]
                listen = "mail.example.com:8025"
                inbox_by = ["tag", "colour"]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":2: capture.domains = [\"not a domain\"] is not valid: \"not a domain\" is not a domain")
                .hasMessageContaining(f + ":3: capture.listen = \"mail.example.com:8025\" does not have a numeric IP address")
                .hasMessageContaining(f + ":4: capture.inbox_by = [\"tag\",\"colour\"] is not valid: \"colour\" is not a rule");
    }
}
