package dev.petrel.mailauth.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;
import dev.petrel.mailauth.dkim.DkimKeys;
import dev.petrel.mailauth.dkim.DkimSigningKey;
import dev.petrel.mailauth.dkim.ExternalProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Petrel's ARC against dkimpy's (arc_sign, arc_verify), in both directions and mixed chains; no DNS. */
class ArcInteropTest {
    static final String PYTHON = "/usr/bin/python3";
    static final String MESSAGE = String.join("\r\n",
            "From: Alice <alice@example.com>",
            "To: list@lists.example.org",
            "Subject: Meeting",
            "Date: Sun, 29 Nov 2026 08:00:00 +0000",
            "Message-ID: <m1@example.com>",
            "",
            "See you at noon.",
            "");

    static KeyPair listKey;   // RSA, lists.example.org: Petrel and dkimpy both seal with it
    static KeyPair relayKey;  // RSA, relay.example.net: Petrel only

    @TempDir
    Path dir;
    Path keysFile;

    @BeforeAll
    static void keys() {
        listKey = DkimKeys.generate(2048);
        relayKey = DkimKeys.generate(1024);
    }

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(ExternalProcess.installed(PYTHON), "python3 (with python3-dkim and python3-authres) is not installed");
        keysFile = Files.writeString(dir.resolve("keys.txt"),
                "arc._domainkey.lists.example.org\t" + DkimKeys.keyRecord(listKey.getPublic()) + "\n"
                        + "seal._domainkey.relay.example.net\t" + DkimKeys.keyRecord(relayKey.getPublic()) + "\n");
        Files.writeString(dir.resolve("list.pem"), DkimKeys.toPem(listKey.getPrivate()));
    }

    static MemoryResolver dns() {
        return new MemoryResolver()
                .txt("arc._domainkey.lists.example.org", DkimKeys.keyRecord(listKey.getPublic()))
                .txt("seal._domainkey.relay.example.net", DkimKeys.keyRecord(relayKey.getPublic()));
    }

    static ArcResult petrelVerify(MailMessage m) {
        return new ArcVerifier(dns(), Clock.systemUTC()).verify(m);
    }

    static MailMessage petrelHop(MailMessage m, KeyPair key, String domain, String selector, String results) {
        ArcSealer sealer = new ArcSealer(DkimSigningKey.of(domain, selector, key.getPrivate()), Clock.systemUTC());
        return m.prepend(sealer.seal(m, results, petrelVerify(m)));
    }

    /** Asserts dkimpy's verdict: "pass", "fail" or "none" (its reason is shown when it differs). */
    void assertDkimpySays(MailMessage m, String expected) throws Exception {
        Path file = Files.write(dir.resolve("arc.eml"), m.bytes());
        var result = ExternalProcess.run(dir, List.of(PYTHON, ExternalProcess.script(dir, "dkimpy_tool.py").toString(),
                "arc-verify", file.toString(), keysFile.toString()));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout().lines().findFirst().orElseThrow()).as(result.toString()).isEqualTo(expected);
    }

    /** dkimpy seals as lists.example.org, from the message's Authentication-Results of {@code authservId}. */
    MailMessage dkimpyHop(MailMessage m, String authservId) throws Exception {
        Path file = Files.write(dir.resolve("in.eml"), m.bytes());
        var result = ExternalProcess.run(dir, List.of(PYTHON, ExternalProcess.script(dir, "dkimpy_tool.py").toString(),
                "arc-sign", file.toString(), dir.resolve("list.pem").toString(), "lists.example.org", "arc", authservId));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<HeaderField> fields = new ArrayList<>();
        MailMessage parsed = MailMessage.parse((result.stdout() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(parsed.headers()).extracting(HeaderField::name)
                .containsExactly("ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results");
        fields.addAll(parsed.headers());
        return m.prepend(fields);
    }

    static MailMessage message() {
        return MailMessage.parse(MESSAGE.getBytes(StandardCharsets.US_ASCII));
    }

    static MailMessage edited(MailMessage m, String from, String to) {
        String text = new String(m.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        return MailMessage.parse(text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void petrelChainsVerifyInDkimpy() throws Exception {
        MailMessage once = petrelHop(message(), listKey, "lists.example.org", "arc", "lists.example.org; spf=pass smtp.mailfrom=example.com");
        assertDkimpySays(message(), "none");
        assertDkimpySays(once, "pass");
        MailMessage twice = petrelHop(once, relayKey, "relay.example.net", "seal", "relay.example.net; arc=pass");
        assertDkimpySays(twice, "pass");
        assertDkimpySays(edited(twice, "noon", "one"), "fail");
        assertDkimpySays(edited(twice, "spf=pass smtp.mailfrom", "spf=fail smtp.mailfrom"), "fail");
    }

    @Test
    void dkimpySealsVerifyInPetrelAndMixedChainsHold() throws Exception {
        MailMessage received = message().prepend(List.of(
                HeaderField.of("Authentication-Results", "lists.example.org; spf=pass smtp.mailfrom=example.com")));
        MailMessage byDkimpy = dkimpyHop(received, "lists.example.org");
        assertThat(petrelVerify(byDkimpy)).isEqualTo(new ArcResult(ArcResult.Kind.PASS, 1, 0, null));
        assertThat(petrelVerify(edited(byDkimpy, "noon", "one")).kind()).isEqualTo(ArcResult.Kind.FAIL);

        // Petrel adds the second hop on dkimpy's first; both accept the chain.
        MailMessage thenPetrel = petrelHop(byDkimpy, relayKey, "relay.example.net", "seal", "relay.example.net; arc=pass");
        assertThat(petrelVerify(thenPetrel)).isEqualTo(new ArcResult(ArcResult.Kind.PASS, 2, 0, null));
        assertDkimpySays(thenPetrel, "pass");

        // dkimpy adds a third on Petrel's second (it takes cv= from this hop's arc= result).
        MailMessage third = dkimpyHop(thenPetrel.prepend(List.of(
                HeaderField.of("Authentication-Results", "hop3.example; arc=pass"))), "hop3.example");
        assertThat(petrelVerify(third)).isEqualTo(new ArcResult(ArcResult.Kind.PASS, 3, 0, null));
        assertDkimpySays(third, "pass");
    }
}
