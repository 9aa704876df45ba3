package dev.petrel.delivery;

import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

import static dev.petrel.delivery.MxResolverTest.targets;
import static org.assertj.core.api.Assertions.assertThat;

/** MxResolver over the real dnsjava resolver and {@link TestDnsServer}: the path production takes. */
class MxResolverDnsTest {
    private TestDnsServer server;
    private MxResolver resolver;

    @BeforeEach
    void start() throws IOException {
        server = TestDnsServer.start();
        // No cache, so each test sees the zone as it is edited.
        resolver = new MxResolver(new DnsjavaResolver(server.address(), Duration.ofMillis(400), 0, Clock.systemUTC()),
                true, new Random(7));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void mxOrderAndAddresses() {
        server.addMx("example.com", 20, "mx2.example.com").addMx("example.com", 10, "mx1.example.com")
                .addA("mx1.example.com", "127.0.0.1").addAaaa("mx1.example.com", "::1")
                .addA("mx2.example.com", "127.0.0.2");
        assertThat(targets(resolver.resolve("example.com", 25, true))).containsExactly(
                "mx1.example.com[127.0.0.1]:25", "mx1.example.com[0:0:0:0:0:0:0:1]:25", "mx2.example.com[127.0.0.2]:25");
    }

    @Test
    void implicitMx() {
        server.addA("example.com", "127.0.0.1");
        assertThat(targets(resolver.resolve("example.com", 25, true))).containsExactly("example.com[127.0.0.1]:25");
    }

    @Test
    void nullMxNxdomainAndServfail() {
        server.addMx("nomail.example", 0, ".").servfail("broken.example");
        assertThat(resolver.resolve("nomail.example", 25, true))
                .isInstanceOfSatisfying(Resolution.Permanent.class, p -> assertThat(p.dsn()).isEqualTo("5.1.10"));
        assertThat(resolver.resolve("missing.example", 25, true))
                .isInstanceOfSatisfying(Resolution.Permanent.class, p -> assertThat(p.dsn()).isEqualTo("5.1.2"));
        assertThat(resolver.resolve("broken.example", 25, true))
                .isInstanceOfSatisfying(Resolution.Temporary.class, t -> {
                    assertThat(t.dsn()).isEqualTo("4.4.3");
                    assertThat(t.reason()).contains("SERVFAIL", "broken.example");
                });
    }

    @Test
    void aTimedOutMxHostIsSkippedForOneThatAnswers() {
        server.addMx("example.com", 10, "slow.example.com").addMx("example.com", 20, "mx2.example.com")
                .addA("slow.example.com", "127.0.0.9").drop("slow.example.com")
                .addA("mx2.example.com", "127.0.0.2");
        assertThat(targets(resolver.resolve("example.com", 25, true))).containsExactly("mx2.example.com[127.0.0.2]:25");
    }

    @Test
    void aTimedOutOnlyMxHostIsTemporary() {
        server.addMx("example.com", 10, "slow.example.com").drop("slow.example.com");
        assertThat(resolver.resolve("example.com", 25, true))
                .isInstanceOfSatisfying(Resolution.Temporary.class, t -> assertThat(t.dsn()).isEqualTo("4.4.3"));
    }

    @Test
    void relayLiteralAndName() {
        server.addA("relay.example", "127.0.0.3");
        assertThat(targets(resolver.resolve("[127.0.0.1]", 2525, false))).containsExactly("127.0.0.1[127.0.0.1]:2525");
        assertThat(targets(resolver.resolve("relay.example", 587, false))).containsExactly("relay.example[127.0.0.3]:587");
        assertThat(server.queries()).noneMatch(q -> q.name().startsWith("127"));
    }
}
