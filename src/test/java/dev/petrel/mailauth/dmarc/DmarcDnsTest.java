package dev.petrel.mailauth.dmarc;

import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.spf.SpfResult;
import dev.petrel.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DMARC through the real resolver against {@link TestDnsServer} on 127.0.0.1. */
class DmarcDnsTest {
    private TestDnsServer server;
    private DmarcEvaluator evaluator;

    @BeforeEach
    void start() throws IOException {
        server = TestDnsServer.start();
        DnsjavaResolver resolver = new DnsjavaResolver(server.address(), Duration.ofSeconds(1), 0, Clock.systemUTC());
        evaluator = new DmarcEvaluator(resolver, () -> {
            throw new AssertionError("no sampling expected");
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static MailMessage message(String from) {
        return MailMessage.parse(("From: " + from + "\r\nSubject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static DkimResult dkimPass(String domain) {
        return new DkimResult(DkimResult.Kind.PASS, domain, "sel", "@" + domain, "rsa-sha256", "abcdefgh", null);
    }

    @Test
    void policyFoundAtTheOrganizationalDomainAndSpApplied() {
        server.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@example.com");
        server.addTxt("_dmarc.example.com", "v=spf1 -all");
        DmarcResult result = evaluator.evaluate(message("News <news@mail.example.com>"),
                new SpfResult(SpfResult.Kind.PASS, "mailfrom", "esp.example", null, null), "esp.example", List.of());
        assertThat(result).isInstanceOf(DmarcResult.Fail.class);
        DmarcResult.Fail fail = (DmarcResult.Fail) result;
        assertThat(fail.policy().policyDomain()).isEqualTo("example.com");
        assertThat(fail.policy().disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(server.count("_dmarc.mail.example.com", "TXT")).isEqualTo(1);
        assertThat(server.count("_dmarc.example.com", "TXT")).isEqualTo(1);
    }

    @Test
    void passThroughRealDns() {
        server.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s");
        DmarcResult result = evaluator.evaluate(message("alice@example.com"), null, null, List.of(dkimPass("example.com")));
        assertThat(result).isInstanceOf(DmarcResult.Pass.class);
        assertThat(((DmarcResult.Pass) result).alignment()).isEqualTo(new Alignment(null, List.of("example.com")));
    }

    @Test
    void servfailIsTempError() {
        server.servfail("_dmarc.example.com");
        DmarcResult result = evaluator.evaluate(message("alice@example.com"), null, null, List.of(dkimPass("example.com")));
        assertThat(result).isInstanceOf(DmarcResult.TempError.class);
        assertThat(result.keyword()).isEqualTo("temperror");
    }

    @Test
    void nxdomainEverywhereIsNone() {
        DmarcResult result = evaluator.evaluate(message("alice@sub.example.org"), null, null, List.of());
        assertThat(result).isEqualTo(new DmarcResult.None("sub.example.org",
                "no DMARC record at _dmarc.sub.example.org or _dmarc.example.org"));
    }
}
