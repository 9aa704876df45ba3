package dev.petrel.delivery.mtasts;

import dev.petrel.delivery.mtasts.StsPolicy.Mode;
import dev.petrel.dns.DnsResult;
import dev.petrel.dns.MemoryResolver;
import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Resolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery, fetch and cache together (RFC 8461 section 5.1), with DNS from memory, a fetcher
 * that serves strings (or fails), a clock the test moves and a real cache directory.
 */
class MtaStsTest {
    private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n";
    private static final String TESTING = "version: STSv1\nmode: testing\nmx: *.example.com\nmax_age: 86400\n";

    @TempDir Path dir;
    private final SwitchableDns dns = new SwitchableDns();
    private final ServedPolicy served = new ServedPolicy();
    private Instant now = Instant.parse("2026-11-29T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };

    private MtaSts mtaSts() {
        return new MtaSts(dns, served, new PolicyCache(dir.resolve("mta-sts")), clock);
    }

    @Test
    void noTxtRecordMeansNoPolicyAndNoFetch() {
        dns.set(new MemoryResolver());
        assertThat(mtaSts().policyFor("example.com")).isEmpty();
        assertThat(served.fetches).isEmpty();
    }

    @Test
    void fetchesOnceAndUsesTheCacheWhileTheIdIsUnchanged() {
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=1"));
        served.text = ENFORCE;
        MtaSts sts = mtaSts();
        assertThat(sts.policyFor("example.com")).map(StsPolicy::mode).contains(Mode.ENFORCE);
        now = now.plus(Duration.ofHours(1));
        served.text = TESTING; // what the server says now is not asked: the id did not change
        assertThat(sts.policyFor("example.com")).map(StsPolicy::mode).contains(Mode.ENFORCE);
        assertThat(served.fetches).containsExactly("example.com");
    }

    @Test
    void refetchesWhenTheIdChanges() {
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=1"));
        served.text = ENFORCE;
        MtaSts sts = mtaSts();
        sts.policyFor("example.com");
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=2"));
        served.text = TESTING;
        assertThat(sts.policyFor("example.com")).map(StsPolicy::mode).contains(Mode.TESTING);
        assertThat(served.fetches).hasSize(2);
    }

    @Test
    void aFailedRefreshKeepsTheUnexpiredEnforcePolicy() {
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=1"));
        served.text = ENFORCE;
        MtaSts sts = mtaSts();
        sts.policyFor("example.com");
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=2"));
        served.text = null; // the policy host is down
        assertThat(sts.policyFor("example.com")).map(StsPolicy::mode).contains(Mode.ENFORCE);
        served.text = "<html>oops</html>"; // or serves garbage
        now = now.plus(MtaSts.RETRY_FAILED_FETCH);
        assertThat(sts.policyFor("example.com")).map(StsPolicy::mode).contains(Mode.ENFORCE);
    }

    @Test
    void anAgeingPolicyIsRefreshedSoItDoesNotLapseAndAFailedRefreshKeepsIt() {
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=1"));
        served.text = ENFORCE; // max_age one day: refreshed after half a day
        MtaSts sts = mtaSts();
        sts.policyFor("example.com");
        now = now.plus(Duration.ofHours(13));
        served.text = null;
        assertThat(sts.policyFor("example.com")).as("refresh failed, still unexpired").map(StsPolicy::mode).contains(Mode.ENFORCE);
        now = now.plus(MtaSts.RETRY_FAILED_FETCH);
        served.text = ENFORCE;
        assertThat(sts.policyFor("example.com")).isPresent();
        assertThat(served.fetches).hasSize(3);
        now = now.plus(Duration.ofHours(20)); // 33 hours after the first fetch, 20 after the refresh
        served.text = null;
        assertThat(sts.policyFor("example.com")).as("the refresh started a new max_age").map(StsPolicy::mode).contains(Mode.ENFORCE);
    }

    @Test
    void aSuppressedTxtRecordDoesNotDropTheCachedPolicy() {
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=1"));
        served.text = ENFORCE;
        MtaSts sts = mtaSts();
        sts.policyFor("example.com");
        dns.set(new MemoryResolver());
        assertThat(sts.policyFor("example.com")).map(StsPolicy::mode).contains(Mode.ENFORCE);
        dns.set(new MemoryResolver().tempfail("_mta-sts.example.com", "SERVFAIL"));
        assertThat(sts.policyFor("example.com")).map(StsPolicy::mode).contains(Mode.ENFORCE);
    }

    @Test
    void anExpiredPolicyIsRefetchedAndDroppedWhenThatFails() {
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=1"));
        served.text = ENFORCE;
        MtaSts sts = mtaSts();
        sts.policyFor("example.com");
        now = now.plus(Duration.ofSeconds(86400));
        served.text = null;
        assertThat(sts.policyFor("example.com")).isEmpty();
        assertThat(served.fetches).hasSize(2);
    }

    @Test
    void theCacheSurvivesARestartAndIsWrittenAtomically() throws Exception {
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=1"));
        served.text = ENFORCE;
        mtaSts().policyFor("example.com");
        Path file = dir.resolve("mta-sts").resolve("example.com");
        assertThat(Files.readString(file)).startsWith("id: 1\nfetched: 2026-11-29T10:00:00Z\n\n").endsWith(ENFORCE);
        try (var files = Files.list(dir.resolve("mta-sts"))) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }

        served.text = null; // after the restart, the policy host is unreachable
        MtaSts restarted = mtaSts();
        assertThat(restarted.policyFor("example.com")).map(StsPolicy::mxPatterns).contains(List.of("mx.example.com"));
        assertThat(served.fetches).hasSize(1);
    }

    @Test
    void aCorruptCacheFileIsIgnored() throws Exception {
        Files.createDirectories(dir.resolve("mta-sts"));
        Files.writeString(dir.resolve("mta-sts").resolve("example.com"), "id: 1\nfetched: yesterday\n\nmode: enforce\n");
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=1"));
        served.text = TESTING;
        assertThat(mtaSts().policyFor("example.com")).map(StsPolicy::mode).contains(Mode.TESTING);
    }

    @Test
    void modeNoneIsNoPolicyButReplacesAnEnforcePolicy() {
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=1"));
        served.text = ENFORCE;
        MtaSts sts = mtaSts();
        sts.policyFor("example.com");
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=2"));
        served.text = "version: STSv1\nmode: none\nmax_age: 86400\n";
        assertThat(sts.policyFor("example.com")).isEmpty();
        assertThat(mtaSts().policyFor("example.com")).as("after a restart too").isEmpty();
    }

    @Test
    void aFailedFetchIsNotRepeatedAtOnce() {
        dns.set(new MemoryResolver().txt("_mta-sts.example.com", "v=STSv1; id=1"));
        served.text = null;
        MtaSts sts = mtaSts();
        assertThat(sts.policyFor("example.com")).isEmpty();
        assertThat(sts.policyFor("example.com")).isEmpty();
        assertThat(served.fetches).hasSize(1);
        now = now.plus(MtaSts.RETRY_FAILED_FETCH);
        served.text = ENFORCE;
        assertThat(sts.policyFor("example.com")).isPresent();
    }

    /** Serves {@link #text}, or fails when it is null; records each fetch. */
    private static final class ServedPolicy implements PolicyFetcher {
        String text;
        final List<String> fetches = new ArrayList<>();

        @Override
        public String fetch(String domain) throws IOException {
            fetches.add(domain);
            if (text == null) throw new IOException("connect to mta-sts." + domain + ": Connection refused");
            return text;
        }
    }

    /** DNS whose whole zone the test swaps. */
    private static final class SwitchableDns implements Resolver {
        private volatile Resolver current = new MemoryResolver();

        void set(Resolver r) {
            current = r;
        }

        @Override public DnsResult<MxRecord> mx(String domain) { return current.mx(domain); }
        @Override public DnsResult<InetAddress> a(String host) { return current.a(host); }
        @Override public DnsResult<InetAddress> aaaa(String host) { return current.aaaa(host); }
        @Override public DnsResult<String> txt(String name) { return current.txt(name); }
        @Override public DnsResult<String> ptr(InetAddress address) { return current.ptr(address); }
    }

}
