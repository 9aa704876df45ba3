package dev.petrel.cli;

import dev.petrel.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code petrel auth spf} run in-process against {@link TestDnsServer}. */
class AuthSpfCommandTest {
    private TestDnsServer dns;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
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

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 4];
        full[0] = "auth";
        full[1] = "spf";
        System.arraycopy(args, 0, full, 2, args.length);
        full[args.length + 2] = "--dns";
        full[args.length + 3] = "127.0.0.1:" + dns.address().getPort();
        return cli.execute(full);
    }

    @Test
    void passPrintsTheKeywordAlone() {
        assertThat(run("--ip", "192.0.2.1", "--mail-from", "alice@example.com", "--helo", "h.example.org")).isZero();
        assertThat(out.toString()).isEqualTo("pass" + System.lineSeparator());
    }

    @Test
    void failPrintsTheExplanation() {
        assertThat(run("--ip", "203.0.113.5", "--mail-from", "alice@example.com", "--helo", "h.example.org")).isZero();
        assertThat(out.toString().lines()).containsExactly("fail", "203.0.113.5 is not a mail server of example.com");
    }

    @Test
    void softfailAndNone() {
        assertThat(run("--ip", "192.0.2.2", "--mail-from", "alice@example.com", "--helo", "h.example.org")).isZero();
        assertThat(run("--ip", "192.0.2.2", "--mail-from", "bob@nothing.example", "--helo", "h.example.org")).isZero();
        assertThat(out.toString().lines()).containsExactly("softfail", "none");
    }

    @Test
    void permerrorAndTemperrorPrintTheProblem() {
        assertThat(run("--ip", "192.0.2.1", "--mail-from", "x@broken.example.com", "--helo", "h.example.org")).isZero();
        assertThat(run("--ip", "192.0.2.1", "--mail-from", "x@failing.example.com", "--helo", "h.example.org")).isZero();
        assertThat(out.toString().lines()).hasSize(4);
        assertThat(out.toString().lines().toList().get(0)).isEqualTo("permerror");
        assertThat(out.toString().lines().toList().get(1)).isEqualTo("SPF record of broken.example.com: 'ip4:192.0.2.300': "
                + "'192.0.2.300' is not an IPv4 address (four decimal octets 0-255, no leading zeros)");
        assertThat(out.toString().lines().toList().get(2)).isEqualTo("temperror");
        assertThat(out.toString().lines().toList().get(3)).isEqualTo("TXT lookup for failing.example.com. failed: SERVFAIL from 127.0.0.1:" + dns.address().getPort());
    }

    @Test
    void nullSenderChecksTheHelo() {
        assertThat(run("--ip", "192.0.2.9", "--mail-from", "", "--helo", "helo.example.org")).isZero();
        assertThat(run("--ip", "::ffff:192.0.2.8", "--mail-from", "<>", "--helo", "helo.example.org")).isZero();
        assertThat(out.toString().lines()).containsExactly("pass", "fail", "helo.example.org does not designate 192.0.2.8 as a permitted sender");
    }

    @Test
    void badIpIsAUsageError() {
        assertThat(run("--ip", "not-an-ip", "--mail-from", "alice@example.com", "--helo", "h.example.org")).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("--ip: 'not-an-ip' is not a numeric IP address");
    }

    @Test
    void missingOptionIsAUsageError() {
        assertThat(run("--ip", "192.0.2.1", "--helo", "h.example.org")).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("Missing required option: '--mail-from=ADDR'");
    }

    @Test
    void badDnsServerIsAUsageError() {
        CommandLine cli = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        assertThat(cli.execute("auth", "spf", "--ip", "192.0.2.1", "--mail-from", "a@example.com", "--helo", "h",
                "--dns", "127.0.0.1")).isEqualTo(2);
        assertThat(err.toString()).contains("--dns wants IP:PORT");
    }
}
