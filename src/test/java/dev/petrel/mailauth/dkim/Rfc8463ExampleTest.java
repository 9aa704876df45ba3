package dev.petrel.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;
import dev.petrel.mailauth.dkim.DkimResult.Kind;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 8463 Appendix A: the RFC 6376 example message signed by football.example.com with Ed25519
 * (selector brisbane) and RSA (selector test). The bytes below are the appendix's, lines joined
 * with CRLF, continuation lines starting with one space as in the RFC's figure.
 */
class Rfc8463ExampleTest {
    /** A.1: the Ed25519 secret key (the RFC 8032 section 7.1 test 1 seed). */
    static final String ED25519_SECRET = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";

    /** A.2: the key records. */
    static final String BRISBANE_RECORD = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    static final String TEST_RECORD = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR"
            + "iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC"
            + "DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3"
            + "Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

    static final String ED25519_B = "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==";
    static final String BH = "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=";

    /** A.3: the signed message. */
    static final String SIGNED = String.join("\r\n",
            "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=brisbane; t=1528637909; h=from : to :",
            " subject : date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus",
            " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==",
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=test; t=1528637909; h=from : to : subject :",
            " date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3",
            " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz",
            " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=",
            "From: Joe SixPack <joe@football.example.com>",
            "To: Suzie Q <suzie@shopping.example.net>",
            "Subject: Is dinner ready?",
            "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
            "Message-ID: <20030712040037.46341.5F8J@football.example.com>",
            "",
            "Hi.",
            "",
            "We lost the game.  Are you hungry yet?",
            "",
            "Joe.",
            "");

    static final Clock AFTER_SIGNING = Clock.fixed(Instant.ofEpochSecond(1528637909L + 3600), ZoneOffset.UTC);

    static MemoryResolver exampleDns() {
        return new MemoryResolver()
                .txt("brisbane._domainkey.football.example.com", BRISBANE_RECORD)
                .txt("test._domainkey.football.example.com", TEST_RECORD);
    }

    static PrivateKey ed25519Key() throws Exception {
        byte[] seed = Base64.getDecoder().decode(ED25519_SECRET);
        byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + HexFormat.of().formatHex(seed));
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    static MailMessage message() {
        return MailMessage.parse(SIGNED.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void bothSignaturesOfTheExampleVerify() {
        List<DkimResult> results = new DkimVerifier(exampleDns(), AFTER_SIGNING).verify(message());
        assertThat(results).containsExactly(
                new DkimResult(Kind.PASS, "football.example.com", "brisbane", "@football.example.com", "ed25519-sha256", "/gCrinpc", null),
                new DkimResult(Kind.PASS, "football.example.com", "test", "@football.example.com", "rsa-sha256", "F45dVWDf", null));
    }

    @Test
    void petrelsBodyHashIsThePublishedOne() {
        MailMessage m = message();
        byte[] body = Canonicalization.RELAXED.body(m.bytes(), m.bodyOffset(), m.bodyLength());
        assertThat(Base64.getEncoder().encodeToString(DkimAlgorithm.ED25519_SHA256.digest(body))).isEqualTo(BH);
    }

    @Test
    void petrelsEd25519SignatureIsThePublishedOneByteForByte() throws Exception {
        MailMessage m = message();
        HeaderField published = m.headers("DKIM-Signature").getFirst();
        DkimSignature parsed = DkimSignature.parse(published);
        // The field as the signer had it before signing: the same tags, b= still empty.
        byte[] unsigned = SignedData.withoutSignatureValue(published.raw());
        MailMessage unsignedMessage = MailMessage.parse(
                SIGNED.substring(SIGNED.indexOf("From:")).getBytes(StandardCharsets.US_ASCII));
        byte[] data = SignedData.of(unsignedMessage.headers(), parsed.signedHeaders(), null, Canonicalization.RELAXED, unsigned);
        byte[] b = DkimAlgorithm.ED25519_SHA256.sign(ed25519Key(), data);
        assertThat(Base64.getEncoder().encodeToString(b)).isEqualTo(ED25519_B);
    }

    @Test
    void theSecretKeyIsTheOneOfTheKeyRecord() throws Exception {
        // Sign with the example key, verify with the published record: the A.1 and A.2 keys belong together.
        byte[] data = "any data".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = DkimAlgorithm.ED25519_SHA256.sign(ed25519Key(), data);
        assertThat(DkimAlgorithm.ED25519_SHA256.verify(DkimKeyRecord.parse(BRISBANE_RECORD).publicKey(), data, sig)).isTrue();
    }

    @Test
    void aChangedSubjectBreaksBothSignatures() {
        String changed = SIGNED.replace("Subject: Is dinner ready?", "Subject: Is lunch ready?");
        List<DkimResult> results = new DkimVerifier(exampleDns(), AFTER_SIGNING)
                .verify(MailMessage.parse(changed.getBytes(StandardCharsets.US_ASCII)));
        assertThat(results).extracting(DkimResult::kind, DkimResult::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.FAIL, "signature did not verify"),
                org.assertj.core.groups.Tuple.tuple(Kind.FAIL, "signature did not verify"));
    }
}
