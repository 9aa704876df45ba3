package dev.petrel.config;

import dev.petrel.config.PetrelConfig.ListenerPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenerPolicyConfigTest {
    @TempDir Path dir;

    private PetrelConfig load(String toml) throws Exception {
        Path f = dir.resolve("petrel.toml");
        Files.writeString(f, "[server]\ndata_dir = \"" + dir + "\"\n" + toml);
        return ConfigLoader.load(f);
    }

    @Test
    void listenerKeysOverrideTheGlobalOnesAndDefaultToThem() throws Exception {
        PetrelConfig c = load("""
                [smtp]
                max_message_size = "10MiB"

                [[listener]]
                name = "mx"
                address = "127.0.0.1:2525"
                max_message_size = "5MiB"
                max_recipients = 20
                greet_pause = "2s"
                require_tls = true
                dnsbl = false
                rate_limits = false
                reject_non_fqdn_helo = true
                reject_unknown_helo = true

                [[listener]]
                name = "submission"
                address = "127.0.0.1:2587"
                mode = "submission"
                """);
        ListenerPolicy mx = c.listeners().get(0).policy();
        assertThat(mx).isEqualTo(new ListenerPolicy(5L * 1024 * 1024, 20, Duration.ofSeconds(2), true, false, false, true, true));
        ListenerPolicy submission = c.listeners().get(1).policy();
        assertThat(submission).isEqualTo(ListenerPolicy.INHERIT);
        assertThat(submission.maxMessageSize(c.smtp())).isEqualTo(10L * 1024 * 1024);
        assertThat(submission.maxRecipients(c.smtp())).isEqualTo(100);
    }

    @Test
    void requireTlsWithoutTlsIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> load("""
                [[listener]]
                name = "mx"
                address = "127.0.0.1:2525"
                tls = "none"
                require_tls = true
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("petrel.toml:7: [[listener]] #1: require_tls = true with tls = \"none\" would refuse all mail");
    }

    @Test
    void proxyProtocolNeedsTheBalancersAndTheBalancersNeedProxyProtocol() throws Exception {
        PetrelConfig c = load("""
                [[listener]]
                name = "mx"
                address = "127.0.0.1:2525"
                proxy_protocol = true
                proxy_from = ["10.0.0.5/32", "10.0.1.0/24"]
                """);
        assertThat(c.listeners().getFirst().proxyProtocol()).isTrue();
        assertThat(c.listeners().getFirst().proxyFrom()).hasSize(2);
        assertThatThrownBy(() -> load("""
                [[listener]]
                name = "mx"
                address = "127.0.0.1:2525"
                proxy_protocol = true
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("petrel.toml:6: [[listener]] #1: proxy_protocol = true needs proxy_from");
        assertThatThrownBy(() -> load("""
                [[listener]]
                name = "mx"
                address = "127.0.0.1:2525"
                proxy_from = ["10.0.0.5/32"]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("petrel.toml:6: [[listener]] #1: proxy_from is set but proxy_protocol is not");
    }
}
