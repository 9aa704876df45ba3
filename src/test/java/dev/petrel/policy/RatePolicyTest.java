package dev.petrel.policy;

import dev.petrel.config.PetrelConfig.Rate;
import dev.petrel.config.PetrelConfig.RateLimits;
import dev.petrel.message.IpNetwork;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which bucket a message or recipient counts against, and the exact 450 4.7.1 text. */
class RatePolicyTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final TokenBucketTest.MutableClock clock = new TokenBucketTest.MutableClock(T0);
    private final RatePolicy policy = new RatePolicy(new RateLimits(new Rate(2, Duration.ofMinutes(1)),
            new Rate(3, Duration.ofHours(1)), new Rate(1, Duration.ofSeconds(90)), Rate.NONE, 10, Duration.ofMinutes(15)),
            List.of(IpNetwork.parse("10.0.0.0/8")), clock);

    @Test
    void messagesPerIpWithRetryHintRoundedUp() throws Exception {
        InetAddress ip = InetAddress.getByName("192.0.2.1");
        assertThat(policy.checkMessage(ip, null)).isEqualTo(Verdict.ACCEPT);
        clock.now = T0.plusMillis(500);
        assertThat(policy.checkMessage(ip, null)).isEqualTo(new Verdict.Defer(450, "4.7.1",
                "Rate limit exceeded for your address: 1 message per 90 seconds; try again in 90 seconds", "rate_messages"));
        assertThat(policy.checkMessage(InetAddress.getByName("192.0.2.2"), null)).isEqualTo(Verdict.ACCEPT);
        clock.now = T0.plusSeconds(90);
        assertThat(policy.checkMessage(ip, null)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void authenticatedUsersCountPerUserFromEveryAddressAndTrustedNetworksOnlyEscapePerIp() throws Exception {
        InetAddress trusted = InetAddress.getByName("10.1.2.3");
        for (int i = 0; i < 5; i++) assertThat(policy.checkMessage(trusted, null)).isEqualTo(Verdict.ACCEPT);
        assertThat(policy.checkMessage(trusted, "Alice")).isEqualTo(Verdict.ACCEPT);
        assertThat(policy.checkMessage(InetAddress.getByName("192.0.2.9"), "alice")).isEqualTo(Verdict.ACCEPT);
        assertThat(policy.checkMessage(trusted, "alice")).isEqualTo(new Verdict.Defer(450, "4.7.1",
                "Rate limit exceeded for alice: 2 messages per minute; try again in 30 seconds", "rate_messages"));
        for (int i = 0; i < 3; i++) assertThat(policy.checkRecipient(trusted, "alice")).isEqualTo(Verdict.ACCEPT);
        assertThat(policy.checkRecipient(trusted, "alice")).isEqualTo(new Verdict.Defer(450, "4.7.1",
                "Rate limit exceeded for alice: 3 recipients per hour; try again in 1200 seconds", "rate_recipients"));
        // recipients_per_ip is unlimited.
        for (int i = 0; i < 100; i++) assertThat(policy.checkRecipient(InetAddress.getByName("192.0.2.1"), null)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void windowsReadNaturally() {
        assertThat(RatePolicy.describe(Duration.ofMinutes(1))).isEqualTo("minute");
        assertThat(RatePolicy.describe(Duration.ofMinutes(15))).isEqualTo("15 minutes");
        assertThat(RatePolicy.describe(Duration.ofDays(1))).isEqualTo("day");
        assertThat(RatePolicy.describe(Duration.ofSeconds(1))).isEqualTo("second");
        assertThat(RatePolicy.describe(Duration.ofMillis(250))).isEqualTo("250 ms");
    }
}
