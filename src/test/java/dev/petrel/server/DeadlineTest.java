package dev.petrel.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineTest {
    @Test
    void expiresOnceWhenPassedAndNotBefore() {
        Deadline d = new Deadline();
        long now = System.nanoTime();
        d.arm(Duration.ofSeconds(10), false);
        assertThat(d.expire(now)).isFalse();
        assertThat(d.expire(now + Duration.ofSeconds(11).toNanos())).isTrue();
        assertThat(d.expired()).isTrue();
        assertThat(d.writing()).isFalse();
        assertThat(d.expire(now + Duration.ofSeconds(12).toNanos())).as("once per arming").isFalse();
    }

    @Test
    void aDisarmedDeadlineNeverExpires() {
        Deadline d = new Deadline();
        d.arm(Duration.ZERO, false);
        d.disarm();
        assertThat(d.expire(System.nanoTime() + Duration.ofDays(1).toNanos())).isFalse();
        assertThat(d.expired()).isFalse();
    }

    @Test
    void canBeArmedAgainAfterExpiringSoTheTimeoutReplyIsBoundedToo() {
        Deadline d = new Deadline();
        d.arm(Duration.ZERO, false);
        assertThat(d.expire(System.nanoTime() + 1)).isTrue();
        d.arm(Duration.ZERO, true);
        assertThat(d.expire(System.nanoTime() + 1)).isTrue();
        assertThat(d.writing()).isTrue();
    }

    @Test
    void aHugeLimitDoesNotOverflowIntoThePast() {
        Deadline d = new Deadline();
        d.arm(Duration.ofSeconds(Long.MAX_VALUE), false);
        assertThat(d.expire(System.nanoTime() + Duration.ofDays(365).toNanos())).isFalse();
    }
}
