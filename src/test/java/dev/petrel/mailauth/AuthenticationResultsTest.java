package dev.petrel.mailauth;

import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.dmarc.Alignment;
import dev.petrel.mailauth.dmarc.DmarcPolicy;
import dev.petrel.mailauth.dmarc.DmarcRecord;
import dev.petrel.mailauth.dmarc.DmarcRecordParser;
import dev.petrel.mailauth.dmarc.DmarcResult;
import dev.petrel.mailauth.spf.SpfResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticationResultsTest {
    private static final String US = "mx.petrel.example";

    private static String raw(MailMessage.HeaderField field) {
        return new String(field.raw(), StandardCharsets.UTF_8);
    }

    private static DmarcRecord record(String text) {
        return ((DmarcRecordParser.Valid) DmarcRecordParser.parse(text)).record();
    }

    private static SpfResult spf(SpfResult.Kind kind, String identity, String domain) {
        return new SpfResult(kind, identity, domain, null, null);
    }

    private static DkimResult dkimPass(String d, String s, String b) {
        return new DkimResult(DkimResult.Kind.PASS, d, s, "@" + d, "rsa-sha256", b, null);
    }

    private static DmarcResult dmarcPass(String from, String recordText) {
        DmarcRecord r = record(recordText);
        return new DmarcResult.Pass(from, new DmarcResult.AppliedPolicy(from, r, false, r.policy(), DmarcPolicy.NONE, false),
                new Alignment(from, List.of()));
    }

    // --- writing -------------------------------------------------------------------------------

    @Test
    void noResults() {
        assertThat(raw(AuthenticationResults.builder(US).build())).isEqualTo("Authentication-Results: mx.petrel.example; none\r\n");
    }

    @Test
    void spfDkimAndDmarcPass() {
        MailMessage.HeaderField field = AuthenticationResults.builder(US)
                .spf(spf(SpfResult.Kind.PASS, "mailfrom", "example.com"), "alice@example.com")
                .dkim(dkimPass("example.com", "sel2026", "AbCd+/12"))
                .dmarc(dmarcPass("example.com", "v=DMARC1; p=reject"))
                .build();
        assertThat(raw(field)).isEqualTo("Authentication-Results: mx.petrel.example;\r\n"
                + "\tspf=pass smtp.mailfrom=alice@example.com;\r\n"
                + "\tdkim=pass header.d=example.com header.i=@example.com header.s=sel2026\r\n"
                + "\theader.a=rsa-sha256 header.b=\"AbCd+/12\";\r\n"
                + "\tdmarc=pass (p=reject dis=none) header.from=example.com\r\n");
        for (String line : raw(field).split("\r\n")) assertThat(line.length()).isLessThan(AuthenticationResults.LINE_LIMIT);
    }

    @Test
    void failuresWithReasons() {
        DkimResult badBody = new DkimResult(DkimResult.Kind.FAIL, "example.com", "s1", "@example.com", "ed25519-sha256",
                "abcdefgh", "body hash did not verify");
        DmarcRecord r = record("v=DMARC1; p=reject; sp=quarantine; pct=50");
        DmarcResult fail = new DmarcResult.Fail("news.example.com",
                new DmarcResult.AppliedPolicy("example.com", r, true, DmarcPolicy.QUARANTINE, DmarcPolicy.NONE, true),
                new Alignment(null, List.of()));
        String value = AuthenticationResults.builder(US)
                .spf(new SpfResult(SpfResult.Kind.PERMERROR, "helo", "mail.example.com", null, "too many DNS lookups"), null)
                .dkim(badBody)
                .dmarc(fail)
                .arc(new dev.petrel.mailauth.arc.ArcResult(dev.petrel.mailauth.arc.ArcResult.Kind.FAIL, 1, -1, null))
                .build().value();
        assertThat(value).isEqualTo("mx.petrel.example;"
                + "\tspf=permerror reason=\"too many DNS lookups\" smtp.helo=mail.example.com;"
                + "\tdkim=fail reason=\"body hash did not verify\" header.d=example.com"
                + "\theader.i=@example.com header.s=s1 header.a=ed25519-sha256 header.b=abcdefgh;"
                + "\tdmarc=fail (p=reject sp=quarantine dis=none) header.from=news.example.com;"
                + "\tarc=fail");
    }

    @Test
    void noneAndErrorsFromDmarcAndDkim() {
        String value = AuthenticationResults.builder(US)
                .spf(spf(SpfResult.Kind.NONE, "mailfrom", "example.org"), null)
                .dkim(DkimResult.none())
                .dmarc(new DmarcResult.PermError(null, "2 From fields"))
                .build().value();
        assertThat(value).isEqualTo("mx.petrel.example;\tspf=none smtp.mailfrom=example.org;\tdkim=none;"
                + "\tdmarc=permerror reason=\"2 From fields\"");
    }

    // --- round trip ----------------------------------------------------------------------------

    @Test
    void parserReadsBackWhatTheBuilderWrites() {
        MailMessage.HeaderField field = AuthenticationResults.builder(US)
                .spf(spf(SpfResult.Kind.PASS, "mailfrom", "example.com"), "alice@example.com")
                .dkim(dkimPass("example.com", "sel2026", "AbCd+/12"))
                .dmarc(dmarcPass("example.com", "v=DMARC1; p=reject"))
                .result("iprev", "pass", null, List.of(new AuthenticationResults.Property("policy", "iprev", "2001:db8::1")))
                .build();
        assertThat(raw(field)).endsWith(";\r\n\tiprev=pass policy.iprev=\"2001:db8::1\"\r\n");
        AuthenticationResults.Parsed parsed = AuthenticationResults.parse(field);
        assertThat(parsed.authservId()).isEqualTo(US);
        assertThat(parsed.version()).isNull();
        assertThat(parsed.results()).containsExactly(
                new AuthenticationResults.Result("spf", "pass", null,
                        List.of(new AuthenticationResults.Property("smtp", "mailfrom", "alice@example.com"))),
                new AuthenticationResults.Result("dkim", "pass", null, List.of(
                        new AuthenticationResults.Property("header", "d", "example.com"),
                        new AuthenticationResults.Property("header", "i", "@example.com"),
                        new AuthenticationResults.Property("header", "s", "sel2026"),
                        new AuthenticationResults.Property("header", "a", "rsa-sha256"),
                        new AuthenticationResults.Property("header", "b", "AbCd+/12"))),
                new AuthenticationResults.Result("dmarc", "pass", null,
                        List.of(new AuthenticationResults.Property("header", "from", "example.com"))),
                new AuthenticationResults.Result("iprev", "pass", null,
                        List.of(new AuthenticationResults.Property("policy", "iprev", "2001:db8::1"))));
    }

    @Test
    void parsesOthersFields() {
        AuthenticationResults.Parsed parsed = AuthenticationResults.parse(
                " (received by) mx.google.com  1 ;\r\n       dkim=pass header.i=@example.com header.s=20230601 header.b=Xy12AbCd;\r\n"
                        + "       spf=pass (google.com: domain of bounce@example.com designates 192.0.2.1 as permitted sender)"
                        + " smtp.mailfrom=bounce@example.com;\r\n"
                        + "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com;"
                        + " DKIM/1 = Fail header.d=other.example reason = \"bad sig\"; arc=none");
        assertThat(parsed.authservId()).isEqualTo("mx.google.com");
        assertThat(parsed.version()).isEqualTo(1);
        assertThat(parsed.results()).extracting(r -> r.method() + "=" + r.result())
                .containsExactly("dkim=pass", "spf=pass", "dmarc=pass", "dkim=fail", "arc=none");
        assertThat(parsed.results().get(1).property("smtp", "mailfrom")).isEqualTo("bounce@example.com");
        assertThat(parsed.results().get(3).reason()).isEqualTo("bad sig");
        assertThat(parsed.results().get(3).property("HEADER", "D")).isEqualTo("other.example");
    }

    @Test
    void parsesNone() {
        assertThat(AuthenticationResults.parse("example.com; none"))
                .isEqualTo(new AuthenticationResults.Parsed("example.com", null, List.of()));
        assertThat(AuthenticationResults.parse("\"quoted id\"; none").authservId()).isEqualTo("quoted id");
    }

    @Test
    void refusesBrokenFields() {
        assertThatThrownBy(() -> AuthenticationResults.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthenticationResults.parse("example.com; spf")).hasMessageContaining("expected '='");
        assertThatThrownBy(() -> AuthenticationResults.parse("example.com; spf=pass smtp")).hasMessageContaining("expected '.'");
        assertThatThrownBy(() -> AuthenticationResults.parse("example.com (open; spf=pass")).hasMessageContaining("unclosed comment");
        assertThatThrownBy(() -> AuthenticationResults.parse("example.com; dkim=fail reason=\"open"))
                .hasMessageContaining("unclosed quoted string");
    }

    // --- hostile values ------------------------------------------------------------------------

    @Test
    void crlfInAReasonCannotInjectAField() {
        DkimResult hostile = new DkimResult(DkimResult.Kind.FAIL, "example.com", "s", null, null, null,
                "bad\r\nX-Injected: yes\r\n\r\nbody");
        MailMessage.HeaderField field = AuthenticationResults.builder(US).dkim(hostile).build();
        assertThat(raw(field)).isEqualTo("Authentication-Results: mx.petrel.example;\r\n"
                + "\tdkim=fail reason=\"bad  X-Injected: yes    body\" header.d=example.com\r\n\theader.s=s\r\n");
        MailMessage message = MailMessage.parse((raw(field) + "Subject: x\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(message.headers()).extracting(MailMessage.HeaderField::name).containsExactly("Authentication-Results", "Subject");
        assertThat(AuthenticationResults.parse(field).results().get(0).reason()).isEqualTo("bad  X-Injected: yes    body");
    }

    @Test
    void quotesSemicolonsAndEscapesQuotesInIdentities() {
        String evil = "x\"; dkim=pass header.d=bank.example; \\";
        MailMessage.HeaderField field = AuthenticationResults.builder(US)
                .spf(spf(SpfResult.Kind.FAIL, "mailfrom", "evil.example"), evil)
                .build();
        assertThat(raw(field)).isEqualTo("Authentication-Results: mx.petrel.example;\r\n"
                + "\tspf=fail smtp.mailfrom=\"x\\\"; dkim=pass header.d=bank.example; \\\\\"\r\n");
        AuthenticationResults.Parsed parsed = AuthenticationResults.parse(field);
        assertThat(parsed.results()).hasSize(1);
        assertThat(parsed.results().get(0).property("smtp", "mailfrom")).isEqualTo(evil);
    }

    @Test
    void escapesParenthesesInComments() {
        assertThat(AuthenticationResults.asComment("p=reject) spf=pass (x\\")).isEqualTo("(p=reject\\) spf=pass \\(x\\\\)");
    }

    @Test
    void quotesValuesThatAreNotTokensOrNames() {
        assertThat(AuthenticationResults.asValue("example.com")).isEqualTo("example.com");
        assertThat(AuthenticationResults.asValue("user.name+tag@example.com")).isEqualTo("user.name+tag@example.com");
        assertThat(AuthenticationResults.asValue("@example.com")).isEqualTo("@example.com");
        assertThat(AuthenticationResults.asValue("a b")).isEqualTo("\"a b\"");
        assertThat(AuthenticationResults.asValue("a=b")).isEqualTo("\"a=b\"");
        assertThat(AuthenticationResults.asValue("")).isEqualTo("\"\"");
        assertThat(AuthenticationResults.asValue("bücher.example")).isEqualTo("\"bücher.example\"");
        assertThat(AuthenticationResults.asValue("a@b@c.example")).isEqualTo("\"a@b@c.example\"");
    }

    @Test
    void hostileAuthservIdIsQuoted() {
        MailMessage.HeaderField field = AuthenticationResults.builder("evil;\r\nX-Bad: 1").build();
        assertThat(raw(field)).isEqualTo("Authentication-Results: \"evil;  X-Bad: 1\"; none\r\n");
        assertThat(AuthenticationResults.parse(field).authservId()).isEqualTo("evil;  X-Bad: 1");
    }

    @Test
    void genericResultsRefuseNonKeywords() {
        assertThatThrownBy(() -> AuthenticationResults.builder(US).result("spf;x", "pass", null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthenticationResults.builder(US).result("iprev", "pass", null,
                List.of(new AuthenticationResults.Property("policy", "ip rev", "x")))).isInstanceOf(IllegalArgumentException.class);
    }

    // --- forged-header removal -----------------------------------------------------------------

    @Test
    void removesOurFieldsInAnySpellingAndKeepsEverythingElse() {
        String[] kept = {
                "Received: from a by b; Sun, 29 Nov 2026 07:00:00 +0000\r\n",
                "Authentication-Results: mx.other.example; spf=fail smtp.mailfrom=x.example\r\n",
                "Authentication-Results: mx.petrel.example.evil.example; spf=pass\r\n",
                "X-Note: Authentication-Results: mx.petrel.example; spf=pass\r\n",
                "From: alice@example.com\r\n",
        };
        String[] ours = {
                "Authentication-Results: MX.PETREL.EXAMPLE; spf=pass smtp.mailfrom=evil.example\r\n",
                "Authentication-Results: (forged) mx.petrel.example 1; dkim=pass\r\n",
                "authentication-results:\r\n\t(a (nested) comment)\r\n mx.Petrel.example;\r\n\tdmarc=pass\r\n",
                "Authentication-Results: \"mx.petrel.example\"; arc=pass\r\n",
                "Authentication-Results: mx.petrel.example(no space);spf=pass\r\n",
                "Authentication-Results: mx.petrel.example\r\n",
        };
        String body = "\r\nbody line\r\nAuthentication-Results: mx.petrel.example; spf=pass\r\n";
        String original = ours[0] + kept[0] + ours[1] + kept[1] + ours[2] + ours[3] + kept[2] + ours[4] + kept[3] + ours[5] + kept[4] + body;
        MailMessage cleaned = AuthenticationResults.withoutOurs(MailMessage.parse(original.getBytes(StandardCharsets.UTF_8)), US);
        assertThat(new String(cleaned.bytes(), StandardCharsets.UTF_8)).isEqualTo(String.join("", kept) + body);
    }

    @Test
    void messageWithoutOurFieldsIsUnchanged() {
        byte[] bytes = "Authentication-Results: other.example; none\r\nSubject: x\r\n\r\nbody".getBytes(StandardCharsets.UTF_8);
        MailMessage message = MailMessage.parse(bytes);
        assertThat(AuthenticationResults.withoutOurs(message, US).bytes()).isEqualTo(bytes);
    }

    @Test
    void readsTheAuthservIdOfForeignFields() {
        assertThat(AuthenticationResults.authservIdOf(" (c) \"Mx.Example\" 2; none")).isEqualTo("Mx.Example");
        assertThat(AuthenticationResults.authservIdOf("  ; spf=pass")).isNull();
        assertThat(AuthenticationResults.authservIdOf("(unclosed mx.petrel.example; spf=pass")).isNull();
    }
}
