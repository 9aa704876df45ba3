package dev.petrel.cli;

import dev.petrel.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code petrel auth spf} run in-process against {@link TestDnsServer}. */
class AuthSpfCommandTest {
    private TestDnsServer dns;
    private CliRun cli;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        cli = new CliRun(dns, "auth", "spf");
        dns.addTxt("example.com", "v=spf1 ip4:192.0.2.1 ~ip4:192.0.2.2 -all exp=why.example.com")
                .addTxt("why.example.com", "%{i} is not a mail server of %{d}")
                .addTxt("helo.example.org", "v=spf1 a -all").addA("helo.example.org", "192.0.2.9")
                .addTxt("broken.example.com", "v=spf1 ip4:192.0.2.300 -all")
                .servfail("failing.example.com");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void passPrintsTheKeywordAlone() {
        assertThat(cli.run("--ip", "192.0.2.1", "--mail-from", "alice@example.com", "--helo", "h.example.org")).isZero();
        assertThat(cli.out()).isEqualTo("pass" + System.lineSeparator());
    }

    @Test
    void failPrintsTheExplanation() {
        assertThat(cli.run("--ip", "203.0.113.5", "--mail-from", "alice@example.com", "--helo", "h.example.org")).isZero();
        assertThat(cli.out().lines()).containsExactly("fail", "203.0.113.5 is not a mail server of example.com");
    }

    @Test
    void softfailAndNone() {
        assertThat(cli.run("--ip", "192.0.2.2", "--mail-from", "alice@example.com", "--helo", "h.example.org")).isZero();
        assertThat(cli.run("--ip", "192.0.2.2", "--mail-from", "bob@nothing.example", "--helo", "h.example.org")).isZero();
        assertThat(cli.out().lines()).containsExactly("softfail", "none");
    }

    @Test
    void permerrorAndTemperrorPrintTheProblem() {
        assertThat(cli.run("--ip", "192.0.2.1", "--mail-from", "x@broken.example.com", "--helo", "h.example.org")).isZero();
        assertThat(cli.run("--ip", "192.0.2.1", "--mail-from", "x@failing.example.com", "--helo", "h.example.org")).isZero();
        assertThat(cli.out().lines()).hasSize(4);
        assertThat(cli.out().lines().toList().get(0)).isEqualTo("permerror");
        assertThat(cli.out().lines().toList().get(1)).isEqualTo("SPF record of broken.example.com: 'ip4:192.0.2.300': "
                + "'192.0.2.300' is not an IPv4 address (four decimal octets 0-255, no leading zeros)");
        assertThat(cli.out().lines().toList().get(2)).isEqualTo("temperror");
        assertThat(cli.out().lines().toList().get(3)).isEqualTo("TXT lookup for failing.example.com. failed: SERVFAIL from 127.0.0.1:" + dns.address().getPort());
    }

    @Test
    void nullSenderChecksTheHelo() {
        assertThat(cli.run("--ip", "192.0.2.9", "--mail-from", "", "--helo", "helo.example.org")).isZero();
        assertThat(cli.run("--ip", "::ffff:192.0.2.8", "--mail-from", "<>", "--helo", "helo.example.org")).isZero();
        assertThat(cli.out().lines()).containsExactly("pass", "fail", "helo.example.org does not designate 192.0.2.8 as a permitted sender");
    }

    @Test
    void badIpIsAUsageError() {
        assertThat(cli.run("--ip", "not-an-ip", "--mail-from", "alice@example.com", "--helo", "h.example.org")).isEqualTo(2);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).contains("--ip: 'not-an-ip' is not a numeric IP address");
    }

    @Test
    void missingOptionIsAUsageError() {
        assertThat(cli.run("--ip", "192.0.2.1", "--helo", "h.example.org")).isEqualTo(2);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).contains("Missing required option: '--mail-from=ADDR'");
    }

    @Test
    void badDnsServerIsAUsageError() {
        assertThat(cli.execute("auth", "spf", "--ip", "192.0.2.1", "--mail-from", "a@example.com", "--helo", "h",
                "--dns", "127.0.0.1")).isEqualTo(2);
        assertThat(cli.err()).contains("--dns wants IP:PORT");
    }
}
