package dev.petrel.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;
import dev.petrel.mailauth.dkim.DkimResult.Kind;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every way a signature can end, and the result and reason each gives. */
class DkimVerifierTest {
    static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String KEY_NAME = "sel._domainkey.example.com";
    static final List<String> H = List.of("From", "To", "Subject");

    static KeyPair rsa;
    static KeyPair ed25519;

    static final String MESSAGE = String.join("\r\n",
            "From: Alice <alice@example.com>",
            "To: bob@example.org",
            "Subject: Lunch",
            "Date: Sun, 29 Nov 2026 08:00:00 +0000",
            "Message-ID: <1@example.com>",
            "",
            "Shall we meet at noon?",
            "");

    @BeforeAll
    static void keys() {
        rsa = DkimKeys.generate(2048);
        ed25519 = DkimKeys.generate(0);
    }

    static MailMessage message() {
        return MailMessage.parse(MESSAGE.getBytes(StandardCharsets.US_ASCII));
    }

    static MemoryResolver dnsWith(String record) {
        return new MemoryResolver().txt(KEY_NAME, record);
    }

    static String rsaRecord() {
        return DkimKeys.keyRecord(rsa.getPublic());
    }

    static MailMessage signedRsa(String extraTags, long bodyLength) throws Exception {
        return HandSigner.sign(message(), "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel; h=From:To:Subject"
                + extraTags, DkimAlgorithm.RSA_SHA256, Canonicalization.RELAXED, Canonicalization.RELAXED, H, rsa.getPrivate(), bodyLength);
    }

    static DkimResult only(MemoryResolver dns, MailMessage m) {
        List<DkimResult> results = new DkimVerifier(dns, CLOCK).verify(m);
        assertThat(results).hasSize(1);
        return results.getFirst();
    }

    static MailMessage edited(MailMessage m, String from, String to) {
        String text = new String(m.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        return MailMessage.parse(text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void noSignatureIsNone() {
        assertThat(new DkimVerifier(new MemoryResolver(), CLOCK).verify(message())).containsExactly(DkimResult.none());
    }

    @Test
    void goodSignaturePassesWithItsDetails() throws Exception {
        MailMessage m = signedRsa("", -1);
        String b = TagList.withoutWhiteSpace(TagList.parse(m.headers().getFirst().value()).get("b"));
        assertThat(only(dnsWith(rsaRecord()), m)).isEqualTo(
                new DkimResult(Kind.PASS, "example.com", "sel", "@example.com", "rsa-sha256", b.substring(0, 8), null));
    }

    @Test
    void changedBodyFailsOnTheBodyHash() throws Exception {
        MailMessage m = edited(signedRsa("", -1), "at noon", "at one");
        assertThat(only(dnsWith(rsaRecord()), m)).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.FAIL, "body hash did not verify");
    }

    @Test
    void changedSignedHeaderFailsOnTheSignature() throws Exception {
        MailMessage m = edited(signedRsa("", -1), "Subject: Lunch", "Subject: Dinner");
        assertThat(only(dnsWith(rsaRecord()), m)).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.FAIL, "signature did not verify");
    }

    @Test
    void relaxedSignatureSurvivesRefoldingAndWhiteSpace() throws Exception {
        MailMessage m = edited(signedRsa("", -1), "Subject: Lunch", "subject:   \r\n\tLunch  ");
        m = edited(m, "Shall we meet at noon?", "Shall  we meet\tat noon?   ");
        assertThat(only(dnsWith(rsaRecord()), m).kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void unsignedHeaderMayChange() throws Exception {
        MailMessage m = edited(signedRsa("", -1), "Message-ID: <1@example.com>", "Message-ID: <2@example.com>");
        assertThat(only(dnsWith(rsaRecord()), m).kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void keyLookupTempFailIsTemperror() throws Exception {
        var dns = new MemoryResolver().tempfail(KEY_NAME, MemoryResolver.Type.TXT, "SERVFAIL");
        assertThat(only(dns, signedRsa("", -1))).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.TEMPERROR, "key lookup failed: SERVFAIL");
    }

    @Test
    void missingKeyIsPermerror() throws Exception {
        assertThat(only(new MemoryResolver(), signedRsa("", -1))).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.PERMERROR, "no key record at sel._domainkey.example.com (NXDOMAIN)");
        var noTxt = new MemoryResolver().a(KEY_NAME, "192.0.2.1");
        assertThat(only(noTxt, signedRsa("", -1))).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.PERMERROR, "no key record at sel._domainkey.example.com (no TXT record)");
    }

    @Test
    void unusableKeyRecordsArePermerrors() throws Exception {
        MailMessage m = signedRsa("", -1);
        String p = rsaRecord().substring(rsaRecord().indexOf("p="));
        assertThat(only(dnsWith("v=spf1 -all"), m).reason()).isEqualTo("bad key record: key record v=spf1 -all is not DKIM1");
        assertThat(only(dnsWith("v=DKIM1; p"), m).reason()).isEqualTo("bad key record: key record syntax: tag without '=': p");
        assertThat(only(dnsWith("v=DKIM2; " + p), m).reason()).isEqualTo("bad key record: key record v=DKIM2 is not DKIM1");
        assertThat(only(dnsWith("k=rsa; v=DKIM1; " + p), m).reason()).isEqualTo("bad key record: key record v= is not the first tag");
        assertThat(only(dnsWith("v=DKIM1; k=rsa"), m).reason()).isEqualTo("bad key record: key record has no p=");
        assertThat(only(dnsWith("v=DKIM1; p=AAAA"), m).reason()).isEqualTo("bad key record: key record p= is not a valid rsa key");
        assertThat(only(dnsWith("v=DKIM1; k=rsa; p="), m).reason()).isEqualTo("key revoked (empty p=)");
        assertThat(only(dnsWith("v=DKIM1; k=ed25519; " + p), m).reason()).isEqualTo("key type k=ed25519 does not fit a=rsa-sha256");
        assertThat(only(dnsWith("v=DKIM1; k=rsa; h=sha1; " + p), m).reason()).isEqualTo("key h= does not allow sha256");
        assertThat(only(dnsWith("v=DKIM1; k=rsa; s=tlsrpt; " + p), m).reason()).isEqualTo("key s= does not allow email");
        for (String record : List.of("v=spf1 -all", "v=DKIM1; k=rsa; p=", "v=DKIM1; k=ed25519; " + p)) {
            assertThat(only(dnsWith(record), m).kind()).isEqualTo(Kind.PERMERROR);
        }
    }

    @Test
    void keyRecordRestrictionsThatAllowTheSignaturePass() throws Exception {
        MailMessage m = signedRsa("", -1);
        String p = rsaRecord().substring(rsaRecord().indexOf("p="));
        for (String record : List.of("v=DKIM1; k=rsa; h=sha1:sha256; s=email; t=s; " + p, "k=rsa; s=*; " + p, p)) {
            assertThat(only(dnsWith(record), m).kind()).as(record).isEqualTo(Kind.PASS);
        }
    }

    @Test
    void firstParsableTxtRecordIsUsed() throws Exception {
        var dns = new MemoryResolver().txt(KEY_NAME, "google-site-verification=abc").txt(KEY_NAME, rsaRecord());
        assertThat(only(dns, signedRsa("", -1)).kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void strictKeyRefusesSubdomainIdentity() throws Exception {
        MailMessage m = signedRsa("; i=alice@mail.example.com", -1);
        assertThat(only(dnsWith(rsaRecord()), m).kind()).isEqualTo(Kind.PASS);
        assertThat(only(dnsWith(rsaRecord() + "; t=s"), m)).extracting(DkimResult::kind, DkimResult::reason, DkimResult::identity)
                .containsExactly(Kind.PERMERROR, "key t=s forbids i= in a subdomain of d=", "alice@mail.example.com");
    }

    @Test
    void testingKeySaysSoWhenItFails() throws Exception {
        MailMessage m = edited(signedRsa("", -1), "at noon", "at one");
        assertThat(only(dnsWith(rsaRecord() + "; t=y"), m)).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.FAIL, "body hash did not verify (key in testing mode, t=y)");
    }

    @Test
    void shortRsaKeyIsNeverPass() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(768);
        KeyPair weak = generator.generateKeyPair();
        MailMessage m = HandSigner.sign(message(), "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel; h=From:To:Subject",
                DkimAlgorithm.RSA_SHA256, Canonicalization.RELAXED, Canonicalization.RELAXED, H, weak.getPrivate(), -1);
        assertThat(only(dnsWith(DkimKeys.keyRecord(weak.getPublic())), m)).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.POLICY, "RSA key of 768 bits is too short (RFC 8301 needs 1024 or more)");
    }

    @Test
    void rsaSha1IsNeverPass() throws Exception {
        MailMessage m = HandSigner.sign(message(), "v=1; a=rsa-sha1; c=relaxed/relaxed; d=example.com; s=sel; h=From:To:Subject",
                DkimAlgorithm.RSA_SHA1, Canonicalization.RELAXED, Canonicalization.RELAXED, H, rsa.getPrivate(), -1);
        var dns = dnsWith(rsaRecord());
        assertThat(only(dns, m)).extracting(DkimResult::kind, DkimResult::reason, DkimResult::algorithm)
                .containsExactly(Kind.POLICY, "rsa-sha1 is not accepted (RFC 8301)", "rsa-sha1");
        assertThat(dns.queries()).as("no key lookup for a signature refused anyway").isEmpty();
    }

    @Test
    void expiredSignatureIsNotPass() throws Exception {
        long t = NOW.minus(Duration.ofDays(10)).getEpochSecond();
        MailMessage valid = signedRsa("; t=" + t + "; x=" + (NOW.getEpochSecond() + 60), -1);
        assertThat(only(dnsWith(rsaRecord()), valid).kind()).isEqualTo(Kind.PASS);
        long x = NOW.getEpochSecond() - 1;
        MailMessage expired = signedRsa("; t=" + t + "; x=" + x, -1);
        assertThat(only(dnsWith(rsaRecord()), expired)).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.POLICY, "signature expired (x=" + x + ")");
    }

    @Test
    void bodyLengthCoveringTheWholeBodyPasses() throws Exception {
        // Relaxed canonical body: "Shall we meet at noon?\r\n", 24 octets.
        assertThat(only(dnsWith(rsaRecord()), signedRsa("; l=24", 24)).kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void bodyLengthShorterThanTheBodyIsPolicyNotPass() throws Exception {
        MailMessage m = signedRsa("; l=10", 10);
        assertThat(only(dnsWith(rsaRecord()), m)).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.POLICY, "l= covers only 10 of 24 body octets");
        // Appending to the body keeps the signature valid for the first 10 octets, and still no pass.
        MailMessage appended = edited(m, "noon?\r\n", "noon?\r\nClick here to win\r\n");
        assertThat(only(dnsWith(rsaRecord()), appended)).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.POLICY, "l= covers only 10 of 43 body octets");
    }

    @Test
    void bodyLengthLongerThanTheBodyIsPermerror() throws Exception {
        MailMessage m = signedRsa("; l=24", 24);
        MailMessage cut = edited(m, "Shall we meet at noon?", "Shall we?");
        assertThat(only(dnsWith(rsaRecord()), cut)).extracting(DkimResult::kind, DkimResult::reason)
                .containsExactly(Kind.PERMERROR, "l=24 is longer than the body (11 octets)");
    }

    @Test
    void malformedSignaturesAreNeutralWithWhatCouldBeRead() throws Exception {
        String base = "v=1; a=rsa-sha256; d=example.com; s=sel; h=From:To; bh=AAAA; b=QUJDREVGR0hJSks=";
        record Case(String tags, String reason) {}
        List<Case> cases = List.of(
                new Case(base.replace("v=1", "v=2"), "signature v=2 is not 1"),
                new Case(base.replace("; s=sel", ""), "signature has no s="),
                new Case(base.replace("rsa-sha256", "rsa-md5"), "unknown algorithm a=rsa-md5"),
                new Case(base.replace("h=From:To", "h=To:Subject"), "h= does not include From"),
                new Case(base + "; i=@evil.example", "i=@evil.example is not in d=example.com"),
                new Case(base + "; i=@notexample.com", "i=@notexample.com is not in d=example.com"),
                new Case(base + "; c=relaxed/fancy", "unknown canonicalization c=relaxed/fancy"),
                new Case(base + "; q=http/well-known", "unknown query method q=http/well-known"),
                new Case(base + "; l=12x", "invalid l=12x"),
                new Case(base + "; t=200; x=100", "x= is not after t="),
                new Case(base.replace("bh=AAAA", "bh=A*AA"), "bh= is not base64"),
                new Case(base + "; d=other.example", "signature syntax: tag d= appears twice"),
                new Case(base.replace("d=example.com", "d=exa mple.com"), "invalid domain d=exa mple.com"));
        for (Case c : cases) {
            MailMessage m = message().prepend(List.of(HeaderField.of("DKIM-Signature", c.tags())));
            DkimResult r = only(new MemoryResolver(), m);
            assertThat(r.kind()).as(c.tags()).isEqualTo(Kind.NEUTRAL);
            assertThat(r.reason()).as(c.tags()).isEqualTo(c.reason());
        }
        MailMessage m = message().prepend(List.of(HeaderField.of("DKIM-Signature", base.replace("v=2", "v=1") + "; v=2")));
        assertThat(only(new MemoryResolver(), m)).isEqualTo(new DkimResult(Kind.NEUTRAL, null, null, null, null, null,
                "signature syntax: tag v= appears twice"));
        MailMessage partly = message().prepend(List.of(HeaderField.of("DKIM-Signature", base.replace("v=1", "v=9"))));
        assertThat(only(new MemoryResolver(), partly)).isEqualTo(new DkimResult(Kind.NEUTRAL, "example.com", "sel", "@example.com",
                "rsa-sha256", "QUJDREVG", "signature v=9 is not 1"));
    }

    @Test
    void onlyTheFirstTenSignaturesAreChecked() throws Exception {
        MailMessage m = message();
        for (int i = 0; i < 12; i++) {
            m = HandSigner.sign(m, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel; h=From:To:Subject",
                    DkimAlgorithm.RSA_SHA256, Canonicalization.RELAXED, Canonicalization.RELAXED, H, rsa.getPrivate(), -1);
        }
        var dns = dnsWith(rsaRecord());
        List<DkimResult> results = new DkimVerifier(dns, CLOCK).verify(m);
        List<Kind> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) expected.add(Kind.PASS);
        expected.add(Kind.NEUTRAL);
        expected.add(Kind.NEUTRAL);
        assertThat(results).extracting(DkimResult::kind).containsExactlyElementsOf(expected);
        assertThat(results.get(11).reason()).isEqualTo("not checked: only the first 10 signatures are verified");
        assertThat(results.get(11).domain()).isEqualTo("example.com");
        assertThat(dns.queries()).as("one lookup per key name and message").containsExactly("TXT " + KEY_NAME);
    }

    @Test
    void ed25519SignaturePassesAndIsCheckedAgainstItsOwnKeyType() throws Exception {
        MailMessage m = HandSigner.sign(message(), "v=1; a=ed25519-sha256; c=simple/simple; d=example.com; s=sel; h=From:To:Subject",
                DkimAlgorithm.ED25519_SHA256, Canonicalization.SIMPLE, Canonicalization.SIMPLE, H, ed25519.getPrivate(), -1);
        assertThat(only(dnsWith(DkimKeys.keyRecord(ed25519.getPublic())), m).kind()).isEqualTo(Kind.PASS);
        assertThat(only(dnsWith(rsaRecord()), m).reason()).isEqualTo("key type k=rsa does not fit a=ed25519-sha256");
        // Simple canonicalization does not survive white space changes.
        MailMessage respaced = edited(m, "Subject: Lunch", "Subject:  Lunch");
        assertThat(only(dnsWith(DkimKeys.keyRecord(ed25519.getPublic())), respaced).reason()).isEqualTo("signature did not verify");
    }

    @Test
    void pkcs1PublicKeyInTheRecordIsAccepted() throws Exception {
        byte[] spki = rsa.getPublic().getEncoded();
        // The RSAPublicKey inside the SubjectPublicKeyInfo: after the 24-byte header of a 2048-bit key.
        byte[] pkcs1 = java.util.Arrays.copyOfRange(spki, 24, spki.length);
        assertThat(pkcs1[0]).isEqualTo((byte) 0x30);
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pkcs1);
        assertThat(only(dnsWith(record), signedRsa("", -1)).kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void foldedKeyRecordWithWhiteSpaceInsideP() throws Exception {
        String record = rsaRecord();
        String spaced = record.substring(0, 60) + " \t" + record.substring(60, 200) + " " + record.substring(200);
        assertThat(only(dnsWith(spaced), signedRsa("", -1)).kind()).isEqualTo(Kind.PASS);
    }
}
