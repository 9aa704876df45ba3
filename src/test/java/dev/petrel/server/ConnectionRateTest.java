package dev.petrel.server;

import dev.petrel.message.IpNetwork;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sliding-minute estimate of new connections per IP, with a clock the test moves. */
class ConnectionRateTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final ConnectionRate rate = new ConnectionRate(3, List.of(IpNetwork.parse("10.0.0.0/8")), clock);

    @Test
    void fourthConnectionWithinAMinuteIsRefusedAndNotCounted() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 3; i++) assertThat(rate.admit(a)).isTrue();
        assertThat(rate.admit(a)).isFalse();
        assertThat(rate.admit(a)).isFalse();
        assertThat(rate.admit(InetAddress.getByName("192.0.2.2"))).as("another address").isTrue();
        // Half a minute into the next minute, half of the previous minute's three still count:
        // 1.5 + 0 and 1.5 + 1 are below 3, 1.5 + 2 is not.
        clock.now = clock.now.plusSeconds(90);
        assertThat(rate.admit(a)).isTrue();
        assertThat(rate.admit(a)).isTrue();
        assertThat(rate.admit(a)).isFalse();
        // Two minutes later everything has aged out, and the swept entries are gone.
        clock.now = clock.now.plusSeconds(120);
        assertThat(rate.admit(a)).isTrue();
        assertThat(rate.tracked()).isEqualTo(1);
    }

    @Test
    void loopbackAndTrustedNetworksAreNeverLimited() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(rate.admit(InetAddress.getLoopbackAddress())).isTrue();
            assertThat(rate.admit(InetAddress.getByName("10.1.2.3"))).isTrue();
        }
        assertThat(rate.tracked()).isZero();
    }

    @Test
    void zeroTurnsTheLimitOff() throws Exception {
        ConnectionRate off = new ConnectionRate(0, List.of(), clock);
        for (int i = 0; i < 100; i++) assertThat(off.admit(InetAddress.getByName("192.0.2.1"))).isTrue();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
