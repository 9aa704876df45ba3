package dev.petrel.abuse;

import dev.petrel.config.PetrelConfig;
import dev.petrel.delivery.Route;
import dev.petrel.delivery.Router;
import dev.petrel.message.Recipient;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.server.SmtpTestClient;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open-relay test: every address trick we know, sent unauthenticated to the MX listener, to
 * the submission listener after STARTTLS (but without AUTH) and to the implicit-TLS submission
 * listener, each on a fresh connection. Every trick must be refused with the exact code and
 * enhanced status in the table, and nothing may be queued except for the rows that name a local
 * mailbox (those are queued and must route to local delivery, never to another host).
 *
 * <p>The MX column is the reply (or replies, separated by " / ") to the RCPT line, after
 * {@code MAIL FROM:<s@example.org> SMTPUTF8} was accepted. On submission MAIL itself gets
 * {@code 530 5.7.0}, so the submission column is the reply to the same RCPT line outside a
 * transaction. In the RCPT column, {@code \xHH} stands for one raw octet.
 */
@Timeout(120)
class OpenRelayTest {
    /** Syntax refusals from the path parser. */
    private static final String BAD = "553 5.1.3";
    private static final String RELAY = "554 5.7.1";
    private static final String ROUTE = "553 5.1.0";
    private static final String SYNTAX = "501 5.5.4";
    private static final String LOCAL_OK = "250 2.1.5";
    private static final String NO_MAIL = "503 5.5.1";
    private static final String UNRECOGNIZED = "500 5.5.2";
    private static final String BARE_CR = "550 5.5.2";

    @TempDir static Path dir;
    private static TestServer server;
    private static Router router;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        PetrelConfig c = server.config();
        // As Petrel builds it: the server's own hostname is a local domain too.
        List<String> local = new ArrayList<>(c.relay().localDomains());
        local.add(c.server().hostname());
        router = new Router(local, c.delivery().routes(), c.delivery().smarthost(), PetrelConfig.OutboundTls.OPPORTUNISTIC);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static String longLocal(int n) {
        return "a".repeat(n);
    }

    /** trick → RCPT line → expected on mx → expected on submission (without AUTH). */
    static Stream<Arguments> tricks() {
        String label64 = "l".repeat(64);
        String domain250 = ("d".repeat(60) + ".").repeat(4) + "elsewhere.test"; // 258 octets
        return Stream.of(
                row("plain foreign domain", "RCPT TO:<user@elsewhere.test>", RELAY, NO_MAIL),
                row("lowercase verb", "rcpt to:<user@elsewhere.test>", RELAY, NO_MAIL),
                row("space before path", "RCPT TO: <user@elsewhere.test>", RELAY, NO_MAIL),
                row("with NOTIFY", "RCPT TO:<user@elsewhere.test> NOTIFY=NEVER", RELAY, NO_MAIL),
                row("percent hack", "RCPT TO:<user%elsewhere.test@petrel.test>", RELAY, NO_MAIL),
                row("double percent hack", "RCPT TO:<user%elsewhere.test%petrel.test@petrel.test>", RELAY, NO_MAIL),
                row("percent-encoded @", "RCPT TO:<user%40elsewhere.test@petrel.test>", RELAY, NO_MAIL),
                row("quoted @", "RCPT TO:<\"user@elsewhere.test\"@petrel.test>", RELAY, NO_MAIL),
                row("quoted escaped @", "RCPT TO:<\"user\\@elsewhere.test\"@petrel.test>", RELAY, NO_MAIL),
                row("quoted percent", "RCPT TO:<\"user%elsewhere.test\"@petrel.test>", RELAY, NO_MAIL),
                row("quoted source route", "RCPT TO:<\"@elsewhere.test:user\"@petrel.test>", RELAY, NO_MAIL),
                row("quoted address, no domain", "RCPT TO:<\"user@elsewhere.test\">", BAD, NO_MAIL),
                row("bang path", "RCPT TO:<elsewhere.test!user@petrel.test>", RELAY, NO_MAIL),
                row("source route", "RCPT TO:<@petrel.test:user@elsewhere.test>", ROUTE, NO_MAIL),
                row("source route, two hops", "RCPT TO:<@petrel.test,@relay.test:user@elsewhere.test>", ROUTE, NO_MAIL),
                row("source route to local", "RCPT TO:<@elsewhere.test:user@petrel.test>", ROUTE, NO_MAIL),
                row("double @ (foreign first)", "RCPT TO:<user@elsewhere.test@petrel.test>", BAD, NO_MAIL),
                row("double @ (local first)", "RCPT TO:<user@petrel.test@elsewhere.test>", BAD, NO_MAIL),
                row("comma list in domain", "RCPT TO:<user@elsewhere.test,user@petrel.test>", BAD, NO_MAIL),
                row("port in domain", "RCPT TO:<user@elsewhere.test:25>", BAD, NO_MAIL),
                row("colon in local part", "RCPT TO:<elsewhere.test:user@petrel.test>", BAD, NO_MAIL),
                row("comment in local part", "RCPT TO:<user(@elsewhere.test)@petrel.test>", BAD, NO_MAIL),
                row("space in local part", "RCPT TO:< user@elsewhere.test>", BAD, NO_MAIL),
                row("IPv4 literal, not ours", "RCPT TO:<user@[192.0.2.1]>", RELAY, NO_MAIL),
                row("IPv4 literal, loopback", "RCPT TO:<user@[127.0.0.1]>", RELAY, NO_MAIL),
                row("IPv6 literal, loopback", "RCPT TO:<user@[IPv6:::1]>", RELAY, NO_MAIL),
                row("IPv6 literal, mapped loopback", "RCPT TO:<user@[IPv6:::ffff:127.0.0.1]>", RELAY, NO_MAIL),
                row("short IPv4 literal", "RCPT TO:<user@[127.1]>", BAD, NO_MAIL),
                row("hex IPv4 literal", "RCPT TO:<user@[0x7f.0.0.1]>", BAD, NO_MAIL),
                row("name in brackets", "RCPT TO:<user@[petrel.test]>", BAD, NO_MAIL),
                row("unterminated literal", "RCPT TO:<user@[127.0.0.1>", BAD, NO_MAIL),
                row("bare IP as domain", "RCPT TO:<user@127.0.0.1>", RELAY, NO_MAIL),
                row("localhost", "RCPT TO:<user@localhost>", RELAY, NO_MAIL),
                row("trailing dot, local", "RCPT TO:<user@petrel.test.>", BAD, NO_MAIL),
                row("trailing dot, foreign", "RCPT TO:<user@elsewhere.test.>", BAD, NO_MAIL),
                row("leading dot", "RCPT TO:<user@.petrel.test>", BAD, NO_MAIL),
                row("empty label", "RCPT TO:<user@petrel..test>", BAD, NO_MAIL),
                row("subdomain of local", "RCPT TO:<user@sub.petrel.test>", RELAY, NO_MAIL),
                row("local as prefix", "RCPT TO:<user@petrel.test.elsewhere.test>", RELAY, NO_MAIL),
                row("bare postmaster (→ postmaster@hostname)", "RCPT TO:<postmaster>", LOCAL_OK, NO_MAIL),
                row("server hostname (a local domain)", "RCPT TO:<user@MX.petrel.test>", LOCAL_OK, NO_MAIL),
                row("percent hack at hostname", "RCPT TO:<user%elsewhere.test@mx.petrel.test>", RELAY, NO_MAIL),
                row("postmaster elsewhere", "RCPT TO:<postmaster@elsewhere.test>", RELAY, NO_MAIL),
                row("upper-case local domain", "RCPT TO:<user@PETREL.TEST>", LOCAL_OK, NO_MAIL),
                row("mixed-case local domain", "RCPT TO:<user@Petrel.Test>", LOCAL_OK, NO_MAIL),
                row("ORCPT naming a foreign address", "RCPT TO:<user@petrel.test> ORCPT=rfc822;user@elsewhere.test",
                        LOCAL_OK, NO_MAIL),
                row("unbalanced <", "RCPT TO:<user@elsewhere.test", SYNTAX, NO_MAIL),
                row("unbalanced >", "RCPT TO:user@elsewhere.test>", SYNTAX, NO_MAIL),
                row("no brackets", "RCPT TO:user@elsewhere.test", SYNTAX, NO_MAIL),
                row("double brackets", "RCPT TO:<<user@elsewhere.test>>", SYNTAX, NO_MAIL),
                row("two paths", "RCPT TO:<user@petrel.test><user@elsewhere.test>", SYNTAX, NO_MAIL),
                row("second path as parameter", "RCPT TO:<user@petrel.test> <user@elsewhere.test>", "555 5.5.4", NO_MAIL),
                row("text after path", "RCPT TO:<user@elsewhere.test>@petrel.test", SYNTAX, NO_MAIL),
                row("tab after path", "RCPT TO:<user@elsewhere.test>\tX", SYNTAX, NO_MAIL),
                row("NUL in local part", "RCPT TO:<user\\x00@elsewhere.test>", BAD, NO_MAIL),
                row("NUL in domain", "RCPT TO:<user@petrel.test\\x00.elsewhere.test>", BAD, NO_MAIL),
                row("NUL after path", "RCPT TO:<user@petrel.test>\\x00<user@elsewhere.test>", SYNTAX, NO_MAIL),
                row("CR in address", "RCPT TO:<user@petrel.test\\x0d@elsewhere.test>", BARE_CR, BARE_CR),
                row("CR splitting the line", "RCPT TO:<user@petrel.test>\\x0dRCPT TO:<user@elsewhere.test>", BARE_CR, BARE_CR),
                // A bare LF ends a command line (bare_line_endings = normalize): two commands, both refused.
                row("LF splitting the address", "RCPT TO:<user@petrel.test\\x0auser@elsewhere.test>",
                        SYNTAX + " / " + UNRECOGNIZED, NO_MAIL + " / " + UNRECOGNIZED),
                row("invalid UTF-8 in domain", "RCPT TO:<user@elsewhere.test\\xff>", UNRECOGNIZED, UNRECOGNIZED),
                row("overlong UTF-8 '@'", "RCPT TO:<user\\xc1\\x80elsewhere.test@petrel.test>", UNRECOGNIZED, UNRECOGNIZED),
                row("fullwidth @, no ASCII @", "RCPT TO:<user\uFF20elsewhere.test>", BAD, NO_MAIL),
                row("fullwidth @ in domain", "RCPT TO:<user@elsewhere.test\uFF20petrel.test>", RELAY, NO_MAIL),
                row("fullwidth full stop", "RCPT TO:<user@petrel\uFF0Etest>", RELAY, NO_MAIL),
                row("ideographic full stop", "RCPT TO:<user@petrel\u3002test>", RELAY, NO_MAIL),
                row("fullwidth local domain", "RCPT TO:<user@\uFF50\uFF45\uFF54\uFF52\uFF45\uFF4C.test>", RELAY, NO_MAIL),
                row("zero-width space in domain", "RCPT TO:<user@petrel.test\u200B>", RELAY, NO_MAIL),
                row("Cyrillic e in domain", "RCPT TO:<user@p\u0435trel.test>", RELAY, NO_MAIL),
                // Local parts with look-alike routing characters name a local mailbox (here the catch-all):
                // delivered locally, never passed on.
                row("fullwidth @ in local part", "RCPT TO:<user\uFF20elsewhere.test@petrel.test>", LOCAL_OK, NO_MAIL),
                row("fullwidth % in local part", "RCPT TO:<user\uFF05elsewhere.test@petrel.test>", LOCAL_OK, NO_MAIL),
                row("local part of 65 octets", "RCPT TO:<" + longLocal(65) + "@petrel.test>", BAD, NO_MAIL),
                row("domain label of 64 octets", "RCPT TO:<user@" + label64 + ".test>", BAD, NO_MAIL),
                row("path over 256 octets", "RCPT TO:<user@" + domain250 + ">", BAD, NO_MAIL),
                row("RCPT line over 512 octets", "RCPT TO:<user@elsewhere.test> " + "X".repeat(600), UNRECOGNIZED, UNRECOGNIZED),
                row("RCPT line of 1 MB", "RCPT TO:<" + "a".repeat(1 << 20) + "@elsewhere.test>", UNRECOGNIZED, UNRECOGNIZED));
    }

    private static Arguments row(String trick, String rcpt, String mx, String submission) {
        return Arguments.of(trick, rcpt, mx, submission);
    }

    @ParameterizedTest(name = "mx: {0} -> {2}")
    @MethodSource("tricks")
    void mxWithoutAuth(String trick, String rcpt, String expected, String unused) throws Exception {
        int before = server.messages().size();
        boolean local = expected.equals(LOCAL_OK);
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<s@example.org> SMTPUTF8").line()).isEqualTo("250 2.1.0 Ok");
            assertReplies(c, rcpt, expected);
            if (local) {
                assertThat(c.command("DATA").code()).isEqualTo(354);
                assertThat(c.command("Subject: t\r\n\r\nx\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
            } else {
                assertThat(c.command("DATA").line()).isEqualTo("554 5.5.1 No valid recipients");
            }
            assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
        }
        List<SpooledMessage> after = server.messages();
        assertThat(after).hasSize(before + (local ? 1 : 0));
        if (local) {
            SpooledMessage m = after.getLast();
            assertThat(m.envelope().authIdentity()).isNull();
            assertThat(m.envelope().recipients()).hasSize(1);
            for (Recipient r : m.envelope().recipients()) {
                assertThat(router.route(r.address())).as("route of %s", r.address()).isInstanceOf(Route.Local.class);
            }
            server.spool().remove(m.id());
        }
    }

    @ParameterizedTest(name = "submission+STARTTLS: {0} -> 530, then {3}")
    @MethodSource("tricks")
    void submissionAfterStartTlsWithoutAuth(String trick, String rcpt, String unused, String expected) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            c.startTls(server.clientTls());
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            submissionTransaction(c, rcpt, expected);
        }
        assertThat(server.messages()).isEmpty();
    }

    @ParameterizedTest(name = "submissions (implicit TLS): {0} -> 530, then {3}")
    @MethodSource("tricks")
    void implicitTlsSubmissionWithoutAuth(String trick, String rcpt, String unused, String expected) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connectTls(server.clientTls(), server.submissionsPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            submissionTransaction(c, rcpt, expected);
        }
        assertThat(server.messages()).isEmpty();
    }

    private static void submissionTransaction(SmtpTestClient c, String rcpt, String expected) throws Exception {
        assertThat(c.command("MAIL FROM:<s@example.org> SMTPUTF8").line()).isEqualTo("530 5.7.0 Authentication required");
        // A trick in MAIL FROM is refused the same way: nothing is parsed before authentication.
        c.send(wire(rcpt.replaceFirst("(?i)^RCPT TO:", "MAIL FROM:")));
        c.send("\r\n");
        assertThat(c.read().line()).startsWith(expected.startsWith(BARE_CR) || expected.startsWith(UNRECOGNIZED)
                ? expected.split(" / ")[0] : "530 5.7.0");
        if (expected.contains(" / ")) assertThat(c.read().line()).startsWith(expected.split(" / ")[1]);
        assertReplies(c, rcpt, expected);
        assertThat(c.command("DATA").line()).isEqualTo("503 5.5.1 Send MAIL first");
        assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
    }

    /** The tricks in UTF-8 without SMTPUTF8 on MAIL: a non-ASCII address is refused before anything else. */
    @Test
    void utf8TricksWithoutSmtpUtf8AreRefusedAsSyntax() throws Exception {
        List<String> utf8 = tricks().map(a -> (String) a.get()[1])
                .filter(s -> !s.contains("\\x") && !StandardCharsets.US_ASCII.newEncoder().canEncode(s)).toList();
        assertThat(utf8).hasSizeGreaterThanOrEqualTo(8);
        for (String rcpt : utf8) {
            try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
                assertThat(c.read().code()).isEqualTo(220);
                assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
                assertThat(c.command("MAIL FROM:<s@example.org>").line()).isEqualTo("250 2.1.0 Ok");
                // "missing @domain" is found before the UTF-8 check; everything else needs SMTPUTF8.
                assertThat(c.command(rcpt).line()).as(rcpt)
                        .matches("553 5\\.6\\.7 .*|553 5\\.1\\.3 Bad address syntax: missing @domain");
                assertThat(c.command("DATA").line()).isEqualTo("554 5.5.1 No valid recipients");
            }
        }
        assertThat(server.messages()).isEmpty();
    }

    private static void assertReplies(SmtpTestClient c, String rcpt, String expected) throws Exception {
        c.send(wire(rcpt));
        c.send("\r\n");
        List<String> replies = new ArrayList<>();
        for (String prefix : expected.split(" / ")) {
            String line = c.read().line();
            replies.add(line);
            assertThat(line).as("reply to %s (all: %s)", abbreviate(rcpt), replies).startsWith(prefix + " ");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "...(" + s.length() + " chars)" : s;
    }

    /** UTF-8 of {@code s}, with each {@code \xHH} taken as one raw octet. */
    static byte[] wire(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            int esc = s.indexOf("\\x", i);
            int stop = esc < 0 ? s.length() : esc;
            out.writeBytes(s.substring(i, stop).getBytes(StandardCharsets.UTF_8));
            if (esc < 0) break;
            out.write(Integer.parseInt(s.substring(esc + 2, esc + 4), 16));
            i = esc + 4;
        }
        return out.toByteArray();
    }

    @Test
    void wireEscapes() {
        assertThat(wire("a\\x00b\\xffc")).isEqualTo(new byte[] {'a', 0, 'b', (byte) 0xff, 'c'});
        assertThat(Arrays.equals(wire("\uFF20"), "\uFF20".getBytes(StandardCharsets.UTF_8))).isTrue();
    }
}
