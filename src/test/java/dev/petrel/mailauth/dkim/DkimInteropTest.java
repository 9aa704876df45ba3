package dev.petrel.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;
import dev.petrel.mailauth.dkim.DkimResult.Kind;
import dev.petrel.testkit.TestDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Petrel against two independent DKIM implementations, in both directions, RSA and Ed25519; a
 * changed body or header must fail everywhere. No real DNS:
 * <ul>
 * <li>dkimpy (python3-dkim) gets keys from a dnsfunc reading a file (dkimpy_tool.py);</li>
 * <li>OpenDKIM verifies with the {@code opendkim} milter in test mode ({@code -t}), keys from its
 *     TestDNSData option, or from TestDnsServer through its libunbound resolver; it signs through
 *     libopendkim (opendkim_sign.py says why not opendkim-testmsg).</li>
 * </ul>
 */
class DkimInteropTest {
    static final String PYTHON = "/usr/bin/python3";
    static final String OPENDKIM = "/usr/sbin/opendkim";
    static final String DOMAIN = "example.com";

    static final String MESSAGE = String.join("\r\n",
            "From: Alice Example <alice@example.com>",
            "To: Bob <bob@example.org>",
            "Subject: Quarterly numbers,",
            "\tfolded onto two lines",
            "Date: Sun, 29 Nov 2026 08:00:00 +0000",
            "Message-ID: <interop-1@example.com>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "Hello Bob,  ",
            "",
            "the numbers\tare in.   Trailing blanks and tabs\t",
            "and empty lines at the end must not matter.",
            "",
            "",
            "");

    static KeyPair rsa;
    static KeyPair ed25519;

    @TempDir
    Path dir;
    Path keysFile;      // dkimpy: NAME<TAB>RECORD
    Path opendkimConf;  // opendkim: TestDNSData from a file of NAME RECORD

    @BeforeAll
    static void keys() {
        rsa = DkimKeys.generate(2048);
        ed25519 = DkimKeys.generate(0);
    }

    @BeforeEach
    void publishKeys() throws Exception {
        String rsaRecord = DkimKeys.keyRecord(rsa.getPublic());
        String edRecord = DkimKeys.keyRecord(ed25519.getPublic());
        keysFile = Files.writeString(dir.resolve("keys.txt"),
                "rsa._domainkey.example.com\t" + rsaRecord + "\ned._domainkey.example.com\t" + edRecord + "\n");
        Path dnsData = Files.writeString(dir.resolve("dnsdata.txt"),
                "rsa._domainkey.example.com " + rsaRecord + "\ned._domainkey.example.com " + edRecord + "\n");
        opendkimConf = Files.writeString(dir.resolve("opendkim.conf"),
                "TestDNSData file:" + dnsData + "\nSyslog no\nLogWhy yes\nMinimumKeyBits 1024\n");
        Files.writeString(dir.resolve("rsa.pem"), DkimKeys.toPem(rsa.getPrivate()));
        Files.writeString(dir.resolve("ed.pem"), DkimKeys.toPem(ed25519.getPrivate()));
    }

    static MailMessage message() {
        return MailMessage.parse(MESSAGE.getBytes(StandardCharsets.US_ASCII));
    }

    static MailMessage signedByPetrel() {
        DkimSigner signer = DkimSigner.builder(Clock.systemUTC())
                .key(DkimSigningKey.of(DOMAIN, "rsa", rsa.getPrivate()))
                .key(DkimSigningKey.of(DOMAIN, "ed", ed25519.getPrivate()))
                .build();
        return message().prepend(signer.sign(message()));
    }

    static MailMessage edited(MailMessage m, String from, String to) {
        String text = new String(m.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        return MailMessage.parse(text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1));
    }

    Path write(String name, MailMessage m) throws Exception {
        return Files.write(dir.resolve(name), m.bytes());
    }

    static void needPython() {
        assumeTrue(ExternalProcess.installed(PYTHON), "python3 (with python3-dkim) is not installed");
    }

    static void needOpendkim() {
        assumeTrue(ExternalProcess.installed(OPENDKIM), "opendkim is not installed (bin/install-test-deps.sh installs it)");
    }

    // ---- dkimpy ----

    List<String> dkimpyVerify(MailMessage m, String name) throws Exception {
        var result = ExternalProcess.run(dir, List.of(PYTHON, ExternalProcess.script(dir, "dkimpy_tool.py").toString(),
                "verify", write(name, m).toString(), keysFile.toString()));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout().lines().toList();
    }

    @Test
    void petrelSignaturesVerifyInDkimpy() throws Exception {
        needPython();
        MailMessage signed = signedByPetrel();
        assertThat(dkimpyVerify(signed, "good.eml")).containsExactly("pass", "pass");
        // Relaxed canonicalization: re-spacing and re-folding are fine for dkimpy too.
        assertThat(dkimpyVerify(edited(signed, "the numbers\tare in.", "the  numbers are in."), "respaced.eml"))
                .containsExactly("pass", "pass");
        assertThat(dkimpyVerify(edited(signed, "the numbers", "the figures"), "body.eml")).containsExactly("fail", "fail");
        assertThat(dkimpyVerify(edited(signed, "To: Bob <bob@", "To: Bob <rob@"), "header.eml")).containsExactly("fail", "fail");
    }

    @Test
    void dkimpySignaturesVerifyInPetrel() throws Exception {
        needPython();
        Path message = write("plain.eml", message());
        List<HeaderField> fields = new ArrayList<>();
        for (String selector : List.of("rsa", "ed")) {
            var result = ExternalProcess.run(dir, List.of(PYTHON, ExternalProcess.script(dir, "dkimpy_tool.py").toString(),
                    "sign", message.toString(), dir.resolve(selector + ".pem").toString(), DOMAIN, selector));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            // dkimpy writes i= and q= and spaces around the colons of h=: a layout unlike Petrel's.
            assertThat(result.stdout()).contains("q=dns/txt; s=" + selector);
            fields.add(new HeaderField("DKIM-Signature", result.stdout().getBytes(StandardCharsets.US_ASCII)));
        }
        MailMessage signed = message().prepend(fields);
        assertThat(verifyInPetrel(signed)).containsExactly(Kind.PASS, Kind.PASS);
        assertThat(verifyInPetrel(edited(signed, "the numbers", "the figures"))).containsExactly(Kind.FAIL, Kind.FAIL);
        assertThat(verifyInPetrel(edited(signed, "Subject: Quarterly", "Subject: Monthly"))).containsExactly(Kind.FAIL, Kind.FAIL);
    }

    // ---- OpenDKIM ----

    static final Pattern OPENDKIM_RESULT = Pattern.compile("dkim=(\\w+)[^\\n]*?header\\.s=([\\w.-]+)");

    /** OpenDKIM's verdict per selector, in the order of its Authentication-Results. */
    List<String> opendkimVerify(MailMessage m, String name) throws Exception {
        Path file = write(name, m);
        var result = ExternalProcess.run(dir, List.of(OPENDKIM, "-x", opendkimConf.toString(), "-vv", "-t", file.toString()));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> verdicts = new ArrayList<>();
        Matcher matcher = OPENDKIM_RESULT.matcher(result.stdout() + result.stderr());
        while (matcher.find()) verdicts.add(matcher.group(2) + "=" + matcher.group(1));
        assertThat(verdicts).as(result.toString()).isNotEmpty();
        return verdicts;
    }

    @Test
    void petrelSignaturesVerifyInOpendkim() throws Exception {
        needOpendkim();
        MailMessage signed = signedByPetrel();
        assertThat(opendkimVerify(signed, "good.eml")).containsExactly("rsa=pass", "ed=pass");
        assertThat(opendkimVerify(edited(signed, "the numbers", "the figures"), "body.eml")).containsExactly("rsa=fail", "ed=fail");
        assertThat(opendkimVerify(edited(signed, "Subject: Quarterly", "Subject: Monthly"), "header.eml"))
                .containsExactly("rsa=fail", "ed=fail");
        // An added second From is caught thanks to over-signing.
        assertThat(opendkimVerify(edited(signed, "MIME-Version: 1.0", "MIME-Version: 1.0\r\nFrom: ceo@example.com"), "from.eml"))
                .containsExactly("rsa=fail", "ed=fail");
    }

    @Test
    void petrelSignaturesVerifyInOpendkimAskingARealDnsServer() throws Exception {
        needOpendkim();
        // OpenDKIM's resolver is libunbound: its configuration file can forward every query to the test server.
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.addTxt("rsa._domainkey.example.com", DkimKeys.keyRecord(rsa.getPublic()));
            dns.addTxt("ed._domainkey.example.com", DkimKeys.keyRecord(ed25519.getPublic()));
            Path unbound = Files.writeString(dir.resolve("unbound.conf"), "server:\n  do-not-query-localhost: no\n"
                    + "forward-zone:\n  name: \".\"\n  forward-addr: 127.0.0.1@" + dns.address().getPort() + "\n");
            opendkimConf = Files.writeString(dir.resolve("opendkim-dns.conf"),
                    "ResolverConfiguration " + unbound + "\nSyslog no\nMinimumKeyBits 1024\n");
            MailMessage signed = signedByPetrel();
            assertThat(opendkimVerify(signed, "good.eml")).containsExactly("rsa=pass", "ed=pass");
            assertThat(opendkimVerify(edited(signed, "the numbers", "the figures"), "body.eml")).containsExactly("rsa=fail", "ed=fail");
            assertThat(dns.count("rsa._domainkey.example.com", "TXT")).isPositive();
            assertThat(dns.count("ed._domainkey.example.com", "TXT")).isPositive();
        }
    }

    @Test
    void opendkimSignaturesVerifyInPetrel() throws Exception {
        needPython();
        needOpendkim();
        Path message = write("plain.eml", message());
        List<HeaderField> fields = new ArrayList<>();
        for (String[] key : new String[][] {{"rsa", "rsa-sha256"}, {"ed", "ed25519-sha256"}}) {
            var result = ExternalProcess.run(dir, List.of(PYTHON, ExternalProcess.script(dir, "opendkim_sign.py").toString(),
                    message.toString(), dir.resolve(key[0] + ".pem").toString(), DOMAIN, key[0], key[1]));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).startsWith("DKIM-Signature: v=1; a=" + key[1] + "; c=relaxed/relaxed; d=example.com;");
            fields.add(new HeaderField("DKIM-Signature", result.stdout().getBytes(StandardCharsets.US_ASCII)));
        }
        MailMessage signed = message().prepend(fields);
        assertThat(verifyInPetrel(signed)).containsExactly(Kind.PASS, Kind.PASS);
        assertThat(verifyInPetrel(edited(signed, "the numbers", "the figures"))).containsExactly(Kind.FAIL, Kind.FAIL);
        assertThat(verifyInPetrel(edited(signed, "Subject: Quarterly", "Subject: Monthly"))).containsExactly(Kind.FAIL, Kind.FAIL);
        // And OpenDKIM agrees with itself on the same file, so both sides saw the same bytes.
        assertThat(opendkimVerify(signed, "opendkim-signed.eml")).containsExactly("rsa=pass", "ed=pass");
    }

    @Test
    void opendkimGenkeyKeysLoadAndTheirRecordWorks() throws Exception {
        needPython();
        assumeTrue(ExternalProcess.installed("/usr/sbin/opendkim-genkey"), "opendkim-tools is not installed");
        var genkey = ExternalProcess.run(dir, List.of("/usr/sbin/opendkim-genkey", "-b", "2048", "-d", DOMAIN, "-s", "gen", "-D", dir.toString()));
        assertThat(genkey.exitCode()).as(genkey.toString()).isZero();
        // gen.txt is a zone-file line: the record is the concatenation of its quoted strings.
        String zone = Files.readString(dir.resolve("gen.txt"));
        StringBuilder record = new StringBuilder();
        Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(zone);
        while (quoted.find()) record.append(quoted.group(1));
        DkimSigner signer = DkimSigner.builder(Clock.systemUTC())
                .key(DkimSigningKey.of(DOMAIN, "gen", DkimKeys.load(dir.resolve("gen.private")))).build();
        MailMessage signed = message().prepend(signer.sign(message()));
        var dns = new MemoryResolver().txt("gen._domainkey.example.com", record.toString());
        assertThat(new DkimVerifier(dns, Clock.systemUTC()).verify(signed)).extracting(DkimResult::kind).containsExactly(Kind.PASS);
        Files.writeString(keysFile, "gen._domainkey.example.com\t" + record + "\n");
        assertThat(dkimpyVerify(signed, "gen.eml")).containsExactly("pass");
    }

    static List<Kind> verifyInPetrel(MailMessage m) {
        var dns = new MemoryResolver()
                .txt("rsa._domainkey.example.com", DkimKeys.keyRecord(rsa.getPublic()))
                .txt("ed._domainkey.example.com", DkimKeys.keyRecord(ed25519.getPublic()));
        return new DkimVerifier(dns, Clock.systemUTC()).verify(m).stream().map(DkimResult::kind).toList();
    }
}
