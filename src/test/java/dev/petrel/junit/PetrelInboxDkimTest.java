package dev.petrel.junit;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.DkimKey;
import dev.petrel.config.PetrelConfig.MailAuth;
import dev.petrel.mailauth.dkim.DkimKeys;
import dev.petrel.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static dev.petrel.junit.MailQueries.to;
import static dev.petrel.junit.TestMailer.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * wasSignedBy against real signing: Petrel in-process with a [[dkim]] key for example.com, whose public
 * key is published by a DNS server on 127.0.0.1 that Petrel uses as its resolver. Mail from a trusted
 * client with From: in example.com is signed, and capture verifies the signature through that DNS as a
 * receiver would, so the helper sees "pass" for d=example.com.
 */
@Timeout(120)
class PetrelInboxDkimTest {
    private static final Setup SETUP = Setup.create();

    @RegisterExtension
    static PetrelInbox inbox = PetrelInbox.inProcess(config -> {
        PetrelConfig.Delivery d = config.delivery();
        return config.withDelivery(config.queue(), new PetrelConfig.Delivery(d.enabled(), SETUP.dns.address(), d.heloName(),
                        d.connectTimeout(), d.commandTimeout(), d.dataTimeout(), d.tls(), d.routes(), d.smarthost(), d.ipv6()),
                config.local(), config.admin())
                .withMailAuth(new MailAuth(true, null, PetrelConfig.DmarcAction.POLICY,
                        List.of(new DkimKey("example.com", "sel1", SETUP.keyFile))));
    });

    /** The DNS server and key file, made before the extension's customizer runs. */
    private record Setup(TestDnsServer dns, Path dir, Path keyFile) {
        static Setup create() {
            try {
                KeyPair key = DkimKeys.generate(2048);
                TestDnsServer dns = TestDnsServer.start();
                dns.addTxt("sel1._domainkey.example.com", DkimKeys.keyRecord(key.getPublic()));
                Path dir = Files.createTempDirectory("petrel-dkim-test-");
                Path keyFile = dir.resolve("example.com.pem");
                Files.writeString(keyFile, DkimKeys.toPem(key.getPrivate()));
                return new Setup(dns, dir, keyFile);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        SETUP.dns.close();
        Files.deleteIfExists(SETUP.keyFile);
        Files.deleteIfExists(SETUP.dir);
    }

    @Test
    void mailPetrelSignsPassesWasSignedByItsDomainOnly() throws Exception {
        String bob = inbox.address("bob@example.net");
        TestMailer.sendMx(inbox.smtpPort(), "noreply@example.com", bob,
                message("Example <noreply@example.com>", bob, "Signed welcome", "Hello Bob."));

        CapturedMail mail = inbox.await(to("bob@example.net")).wasSignedBy("example.com").wasSignedBy("EXAMPLE.COM.");
        assertThat(mail.headers("DKIM-Signature")).singleElement().asString().contains("d=example.com").contains("s=sel1");

        assertThatThrownBy(() -> mail.wasSignedBy("example.net")).isInstanceOf(AssertionError.class)
                .hasMessage("Expected " + mail + " to carry a DKIM signature of example.net that verifies, but its DKIM results are "
                        + "[\"pass (d=example.com s=sel1)\"] and its Authentication-Results is absent");
    }

    @Test
    void mailFromAnotherDomainIsNotSigned() throws Exception {
        String bob = inbox.address("bob@example.net");
        TestMailer.sendMx(inbox.smtpPort(), "someone@other.example", bob, message("someone@other.example", bob, "Unsigned", "Hi."));

        CapturedMail mail = inbox.await(to("bob@example.net"));
        assertThat(mail.headers("DKIM-Signature")).isEmpty();
        assertThatThrownBy(() -> mail.wasSignedBy("example.com")).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to carry a DKIM signature of example.com that verifies, but its DKIM results are none and its "
                        + "Authentication-Results is absent");
    }
}
