package dev.petrel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.dkim.DkimKeys;
import dev.petrel.mailauth.dkim.DkimSigner;
import dev.petrel.mailauth.dkim.DkimSigningKey;
import dev.petrel.testkit.TestDnsServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code petrel dkim keygen} and {@code petrel auth dkim-verify} end to end: generate keys, publish
 * the printed records in a real DNS server on 127.0.0.1, sign with the key files, verify through
 * {@code --dns}.
 */
class DkimCommandsTest {
    static final String MESSAGE = "From: alice@example.com\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\nHello.\r\n";

    @TempDir
    Path dir;

    TestDnsServer dns;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void startDns() throws Exception {
        dns = TestDnsServer.start();
    }

    @AfterEach
    void stopDns() {
        dns.close();
    }

    int petrel(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    String dnsAddress() {
        return "127.0.0.1:" + dns.address().getPort();
    }

    /** The record text of a printed zone-file line: its quoted strings joined. */
    static String recordOf(String zoneLine) {
        StringBuilder record = new StringBuilder();
        Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(zoneLine);
        while (quoted.find()) record.append(quoted.group(1));
        return record.toString();
    }

    /** Runs keygen and publishes the record it prints; returns the key file. */
    Path keygenAndPublish(String selector, String algorithm) throws Exception {
        assertThat(petrel("dkim", "keygen", "--domain", "Example.com", "--selector", selector, "--algorithm", algorithm,
                "--dir", dir.toString())).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        Path key = dir.resolve("example.com." + selector + ".pem");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("Private key written to " + key.toAbsolutePath() + " (mode 0600).");
        String zoneLine = lines.get(2);
        assertThat(zoneLine).startsWith(selector + "._domainkey.example.com. IN TXT ( \"v=DKIM1; k=").endsWith("\" )");
        dns.addTxt(selector + "._domainkey.example.com", recordOf(zoneLine));
        return key;
    }

    @Test
    void keygenWritesAPrivateKeyFileAndPrintsTheRecord() throws Exception {
        Path rsa = keygenAndPublish("s1", "rsa2048");
        assertThat(Files.getPosixFilePermissions(rsa)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(rsa)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        String rsaLine = out.toString().lines().toList().get(2);
        // A 2048-bit key's record is longer than one DNS string: split, each at most 255 characters.
        Matcher strings = Pattern.compile("\"([^\"]*)\"").matcher(rsaLine);
        int count = 0;
        while (strings.find()) {
            assertThat(strings.group(1).length()).isLessThanOrEqualTo(255);
            count++;
        }
        assertThat(count).isEqualTo(2);
        // The record holds the public half of the key in the file.
        var privateKey = (java.security.interfaces.RSAPrivateCrtKey) DkimKeys.load(rsa);
        var publicKey = java.security.KeyFactory.getInstance("RSA").generatePublic(
                new java.security.spec.RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        assertThat(recordOf(rsaLine)).isEqualTo(DkimKeys.keyRecord(publicKey));
        assertThat(privateKey.getModulus().bitLength()).isEqualTo(2048);

        keygenAndPublish("s2", "ed25519");
        assertThat(out.toString().lines().toList().get(2))
                .matches("s2\\._domainkey\\.example\\.com\\. IN TXT \\( \"v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=\" \\)");
    }

    @Test
    void keygenRefusesToOverwriteAKey() throws Exception {
        Path key = keygenAndPublish("s1", "ed25519");
        String before = Files.readString(key);
        assertThat(petrel("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("petrel dkim keygen: " + key + " exists already; not overwriting");
        assertThat(Files.readString(key)).isEqualTo(before);
    }

    @Test
    void keygenRejectsBadNames() {
        assertThat(petrel("dkim", "keygen", "--domain", "exa mple.com", "--selector", "s1", "--dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not a domain name: exa mple.com");
        assertThat(petrel("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--algorithm", "rsa512")).isEqualTo(2);
    }

    @Test
    void keysFromKeygenSignMailThatDkimVerifyPassesThroughRealDns() throws Exception {
        Path rsa = keygenAndPublish("s1", "rsa2048");
        Path ed = keygenAndPublish("s2", "ed25519");
        DkimSigner signer = DkimSigner.builder(Clock.systemUTC())
                .key(DkimSigningKey.of("example.com", "s1", DkimKeys.load(rsa)))
                .key(DkimSigningKey.of("example.com", "s2", DkimKeys.load(ed)))
                .build();
        MailMessage message = MailMessage.parse(MESSAGE.getBytes(StandardCharsets.US_ASCII));
        Path signed = Files.write(dir.resolve("signed.eml"), message.prepend(signer.sign(message)).bytes());

        assertThat(petrel("auth", "dkim-verify", signed.toString(), "--dns", dnsAddress())).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("d=example.com s=s1 pass\nd=example.com s=s2 pass\n".replace("\n", System.lineSeparator()));
        assertThat(dns.count("s1._domainkey.example.com", "TXT")).isEqualTo(1);

        Files.writeString(signed, Files.readString(signed).replace("Hello.", "Goodbye."));
        assertThat(petrel("auth", "dkim-verify", signed.toString(), "--dns", dnsAddress())).isZero();
        assertThat(out.toString().lines()).containsExactly(
                "d=example.com s=s1 fail (body hash did not verify)", "d=example.com s=s2 fail (body hash did not verify)");

        dns.remove("s2._domainkey.example.com");
        dns.servfail("s1._domainkey.example.com");
        assertThat(petrel("auth", "dkim-verify", signed.toString(), "--dns", dnsAddress())).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("d=example.com s=s1 temperror (key lookup failed: ");
        assertThat(lines.get(1)).isEqualTo("d=example.com s=s2 permerror (no key record at s2._domainkey.example.com (NXDOMAIN))");
    }

    @Test
    void dkimVerifySaysNoneForAnUnsignedMessage() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.eml"), MESSAGE);
        assertThat(petrel("auth", "dkim-verify", plain.toString(), "--dns", dnsAddress())).isZero();
        assertThat(out.toString().strip()).isEqualTo("none");
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void dkimVerifyExitsOneWhenTheFileCannotBeRead() {
        Path missing = dir.resolve("missing.eml");
        assertThat(petrel("auth", "dkim-verify", missing.toString(), "--dns", dnsAddress())).isEqualTo(1);
        assertThat(err.toString()).startsWith("petrel auth dkim-verify: cannot read " + missing);
        assertThat(out.toString()).isEmpty();
    }
}
