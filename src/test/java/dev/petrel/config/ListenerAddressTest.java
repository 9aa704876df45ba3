package dev.petrel.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenerAddressTest {
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:2525", "0.0.0.0:25", "[::1]:587", "[::]:25", "[2001:db8::1]:465"})
    void roundTrips(String text) {
        assertThat(ListenerAddress.format(ListenerAddress.parse(text))).isEqualTo(text.replace("[::]", "[0:0:0:0:0:0:0:0]").replace("[::1]", "[0:0:0:0:0:0:0:1]").replace("2001:db8::1", "2001:db8:0:0:0:0:0:1"));
    }

    @Test
    void localhostIsLoopbackWithoutDns() {
        InetSocketAddress a = ListenerAddress.parse("localhost:2525");
        assertThat(a.getAddress().isLoopbackAddress()).isTrue();
        assertThat(a.isUnresolved()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "2525", ":25", "1.2.3:25", "010.0.0.1:25", "::1:25", "[::1]25", "[127.0.0.1]:25", "127.0.0.1:x", "[::1:25"})
    void rejects(String text) {
        assertThatThrownBy(() -> ListenerAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(ListenerAddress.HINT);
    }
}
