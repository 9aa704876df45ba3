package dev.petrel.mailauth.spf;

import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.mailauth.spf.SpfResult.Kind;
import dev.petrel.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import static dev.petrel.mailauth.spf.SpfTesting.ip;
import static org.assertj.core.api.Assertions.assertThat;

/** SPF over real DNS packets: {@link DnsjavaResolver} asking {@link TestDnsServer} on 127.0.0.1. */
class SpfEndToEndTest {
    private TestDnsServer server;
    private SpfVerifier spf;

    @BeforeEach
    void start() throws IOException {
        server = TestDnsServer.start();
        DnsjavaResolver resolver = new DnsjavaResolver(server.address(), Duration.ofMillis(500), 0, Clock.systemUTC());
        spf = new SpfVerifier(resolver, Clock.systemUTC(), Duration.ofSeconds(20), "mx.receiver.example");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aMxIncludeAndRedirectOverTheWire() {
        server.addTxt("example.com", "v=spf1 a mx include:_spf.partner.example redirect=_spf.example.net")
                .addA("example.com", "192.0.2.1").addMx("example.com", 10, "mx.example.com").addA("mx.example.com", "192.0.2.25")
                .addTxt("_spf.partner.example", "v=spf1 ip4:198.51.100.0/24 -all")
                .addTxt("_spf.example.net", "v=spf1 ip6:2001:db8::/32 -all exp=why.example.net")
                .addTxt("why.example.net", "%{i} is not allowed to send for %{o}");

        assertThat(spf.checkMailFrom(ip("192.0.2.1"), "a@example.com", "h.example.org").kind()).isEqualTo(Kind.PASS);
        assertThat(spf.checkMailFrom(ip("192.0.2.25"), "a@example.com", "h.example.org").kind()).isEqualTo(Kind.PASS);
        assertThat(spf.checkMailFrom(ip("198.51.100.9"), "a@example.com", "h.example.org").kind()).isEqualTo(Kind.PASS);
        assertThat(spf.checkMailFrom(ip("2001:db8::5"), "a@example.com", "h.example.org").kind()).isEqualTo(Kind.PASS);
        SpfResult fail = spf.checkMailFrom(ip("203.0.113.7"), "a@example.com", "h.example.org");
        assertThat(fail).isEqualTo(new SpfResult(Kind.FAIL, "mailfrom", "example.com",
                "203.0.113.7 is not allowed to send for example.com", null));
    }

    @Test
    void recordSplitIntoSeveralTxtStringsIsJoined() {
        StringBuilder record = new StringBuilder("v=spf1");
        for (int i = 1; i <= 40; i++) record.append(" ip4:198.51.100.").append(i);
        record.append(" ip4:192.0.2.77 -all");
        assertThat(record.length()).as("more than one 255-octet string").isGreaterThan(510);
        server.addTxt("example.com", record.toString());

        assertThat(spf.checkMailFrom(ip("192.0.2.77"), "a@example.com", "h.example.org").kind()).isEqualTo(Kind.PASS);
        assertThat(spf.checkMailFrom(ip("198.51.100.40"), "a@example.com", "h.example.org").kind()).isEqualTo(Kind.PASS);
        assertThat(spf.checkMailFrom(ip("192.0.2.78"), "a@example.com", "h.example.org").kind()).isEqualTo(Kind.FAIL);
    }

    @Test
    void ptrMechanismAndValidatedNameMacro() {
        server.addTxt("example.com", "v=spf1 ptr -all exp=why.example.com").addTxt("why.example.com", "%{p} may not send")
                .addPtr("192.0.2.10", "mail.example.com").addA("mail.example.com", "192.0.2.10")
                .addPtr("192.0.2.11", "mail.example.com")
                .addPtr("2001:db8::10", "v6.example.com").addAaaa("v6.example.com", "2001:db8::10");

        assertThat(spf.checkMailFrom(ip("192.0.2.10"), "a@example.com", "h.example.org").kind()).isEqualTo(Kind.PASS);
        assertThat(spf.checkMailFrom(ip("2001:db8::10"), "a@example.com", "h.example.org").kind()).isEqualTo(Kind.PASS);
        SpfResult forged = spf.checkMailFrom(ip("192.0.2.11"), "a@example.com", "h.example.org");
        assertThat(forged.kind()).isEqualTo(Kind.FAIL);
        assertThat(forged.explanation()).isEqualTo("unknown may not send");
        assertThat(server.count("11.2.0.192.in-addr.arpa", "PTR")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void heloIdentity() {
        server.addTxt("mail.example.org", "v=spf1 a -all").addA("mail.example.org", "192.0.2.50");
        assertThat(spf.checkHelo(ip("192.0.2.50"), "mail.example.org"))
                .isEqualTo(new SpfResult(Kind.PASS, "helo", "mail.example.org", null, null));
        assertThat(spf.checkMailFrom(ip("192.0.2.51"), "", "mail.example.org").kind()).isEqualTo(Kind.FAIL);
    }

    @Test
    void servfailAndTimeoutAreTemperror() {
        server.servfail("broken.example.com").drop("slow.example.com")
                .addTxt("example.com", "v=spf1 exists:slow.example.com -all");

        SpfResult servfail = spf.checkMailFrom(ip("192.0.2.1"), "a@broken.example.com", "h.example.org");
        assertThat(servfail.kind()).isEqualTo(Kind.TEMPERROR);
        assertThat(servfail.problem()).isEqualTo("TXT lookup for broken.example.com. failed: SERVFAIL from 127.0.0.1:" + server.address().getPort());

        long start = System.nanoTime();
        SpfResult timeout = spf.checkMailFrom(ip("192.0.2.1"), "a@example.com", "h.example.org");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(timeout.kind()).isEqualTo(Kind.TEMPERROR);
        assertThat(timeout.problem()).startsWith("'exists:slow.example.com': A lookup for slow.example.com. failed: ");
    }

    @Test
    void nxdomainIsNoneAndVoidLookupsCountOverTheWire() {
        server.addTxt("example.com", "v=spf1 a:nx1.example.com mx:nx2.example.com exists:nx3.example.com +all");
        assertThat(spf.checkMailFrom(ip("192.0.2.1"), "a@nowhere.example", "h.example.org").kind()).isEqualTo(Kind.NONE);
        assertThat(spf.checkMailFrom(ip("192.0.2.1"), "a@example.com", "h.example.org").kind()).isEqualTo(Kind.PERMERROR);
    }
}
