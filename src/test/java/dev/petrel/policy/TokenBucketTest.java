package dev.petrel.policy;

import dev.petrel.config.PetrelConfig.Rate;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Token buckets and the keyed limiter, on a clock the test moves. */
class TokenBucketTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void burstOfCapacityThenOneTokenPerWindowOverCapacity() {
        TokenBucket b = new TokenBucket(3, Duration.ofSeconds(60), T0);
        for (int i = 0; i < 3; i++) assertThat(b.tryTake(1, T0)).isZero();
        assertThat(b.tryTake(1, T0)).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.tryTake(1, T0.plusSeconds(15))).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.tryTake(1, T0.plusSeconds(20))).isZero();
        assertThat(b.tryTake(1, T0.plusSeconds(20))).isEqualTo(Duration.ofSeconds(20));
        // Refill stops at capacity, however long the bucket sat idle.
        assertThat(b.isFull(T0.plusSeconds(3600))).isTrue();
        for (int i = 0; i < 3; i++) assertThat(b.tryTake(1, T0.plusSeconds(3600))).isZero();
        assertThat(b.tryTake(1, T0.plusSeconds(3600))).isPositive();
    }

    @Test
    void takingSeveralAtOnceWaitsForAllOfThem() {
        TokenBucket b = new TokenBucket(10, Duration.ofSeconds(10), T0);
        assertThat(b.tryTake(8, T0)).isZero();
        assertThat(b.tryTake(5, T0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.tryTake(2, T0)).isZero(); // the refused take took nothing
    }

    @Test
    void aClockStepBackNeitherMintsTokensNorFails() {
        TokenBucket b = new TokenBucket(1, Duration.ofSeconds(10), T0);
        assertThat(b.tryTake(1, T0)).isZero();
        assertThat(b.tryTake(1, T0.minusSeconds(100))).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.tryTake(1, T0.plusSeconds(10))).isZero();
    }

    @Test
    void limiterKeepsOneBucketPerKeyAndUnlimitedTracksNothing() {
        MutableClock clock = new MutableClock(T0);
        RateLimiter<String> l = new RateLimiter<>(new Rate(2, Duration.ofMinutes(1)), clock);
        assertThat(l.tryTake("alice")).isZero();
        assertThat(l.tryTake("alice")).isZero();
        assertThat(l.tryTake("alice")).isEqualTo(Duration.ofSeconds(30));
        assertThat(l.tryTake("bob")).isZero();
        clock.now = T0.plusSeconds(30);
        assertThat(l.tryTake("alice")).isZero();

        RateLimiter<String> none = new RateLimiter<>(Rate.NONE, clock);
        for (int i = 0; i < 1000; i++) assertThat(none.tryTake("alice")).isZero();
        assertThat(none.size()).isZero();
    }

    @Test
    void limiterMemoryIsBoundedByDroppingFullBuckets() {
        MutableClock clock = new MutableClock(T0);
        RateLimiter<Integer> l = new RateLimiter<>(new Rate(1, Duration.ofSeconds(10)), clock, 100);
        for (int i = 0; i < 100; i++) assertThat(l.tryTake(i)).isZero();
        assertThat(l.size()).isEqualTo(100);
        // Full map, no bucket refilled yet: a new key is let through untracked, the old ones stay limited.
        assertThat(l.tryTake(1000)).isZero();
        assertThat(l.size()).isEqualTo(100);
        assertThat(l.tryTake(5)).isPositive();
        // Once the buckets are full again they carry nothing and make room.
        clock.now = T0.plusSeconds(10);
        assertThat(l.tryTake(1000)).isZero();
        assertThat(l.size()).isEqualTo(1);
        assertThat(l.tryTake(1000)).isPositive();
    }

    @Test
    void failureWindowCountsWithinTheWindowOnly() {
        MutableClock clock = new MutableClock(T0);
        FailureWindow<String> w = new FailureWindow<>(Duration.ofMinutes(15), 3, 100, clock);
        assertThat(w.add("alice")).isEqualTo(1);
        clock.now = T0.plusSeconds(60);
        assertThat(w.add("alice")).isEqualTo(2);
        assertThat(w.count("bob")).isZero();
        clock.now = T0.plusSeconds(15 * 60 + 1);
        assertThat(w.count("alice")).isEqualTo(1);
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
