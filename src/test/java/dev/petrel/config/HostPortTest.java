package dev.petrel.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {
    @Test
    void namesAndAddressesWithAndWithoutPort() throws Exception {
        assertThat(HostPort.parse("Relay.Example.", 25, false)).isEqualTo(new HostPort("relay.example", 25, null));
        assertThat(HostPort.parse("relay.example:587", 25, false)).isEqualTo(new HostPort("relay.example", 587, null));
        assertThat(HostPort.parse("192.0.2.1", 53, false)).isEqualTo(new HostPort("192.0.2.1", 53, InetAddress.getByName("192.0.2.1")));
        assertThat(HostPort.parse("[2001:db8::1]", 25, false).port()).isEqualTo(25);
        assertThat(HostPort.parse("[2001:db8::1]:2525", 25, false).host()).isEqualTo("2001:db8::1");
        assertThat(HostPort.parse("localhost:0", 0, true).ip()).isEqualTo(InetAddress.getLoopbackAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":25", "a b", "host:", "host:x", "[::1", "[::1]x", "[192.0.2.1]:25", "::1", "999.1.1.1", "1.2.3", "host:0", "host:65536"})
    void refused(String text) {
        assertThatThrownBy(() -> HostPort.parse(text, 25, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
