package dev.petrel.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files and key records. */
class DkimKeysTest {
    @TempDir
    Path dir;

    @Test
    void pemRoundTripsForBothKeyTypes() throws Exception {
        for (int bits : new int[] {2048, 0}) {
            KeyPair pair = DkimKeys.generate(bits);
            Path file = dir.resolve("k" + bits + ".pem");
            Files.writeString(file, DkimKeys.toPem(pair.getPrivate()));
            assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
            assertThat(DkimKeys.load(file).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        }
        assertThat(DkimKeys.load(dir.resolve("k0.pem"))).isInstanceOf(EdECPrivateKey.class);
        assertThat(DkimKeys.load(dir.resolve("k2048.pem"))).isInstanceOf(RSAPrivateKey.class);
    }

    @Test
    void errorsNameTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> DkimKeys.load(missing))
                .hasMessage("DKIM key file " + missing + " does not exist (create one with: petrel dkim keygen)");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello\n");
        assertThatThrownBy(() -> DkimKeys.load(garbage)).hasMessage("DKIM key file " + garbage
                + " holds no PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
        Path encrypted = Files.writeString(dir.resolve("enc.pem"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> DkimKeys.load(encrypted)).hasMessageStartingWith("DKIM key file " + encrypted + " is encrypted;");
        Path wrongType = Files.writeString(dir.resolve("wrong.pem"), "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> DkimKeys.load(wrongType))
                .hasMessage("DKIM key file " + wrongType + " holds neither an RSA nor an Ed25519 private key");
    }

    @Test
    void keyRecordsParseBackToTheSameKey() throws Exception {
        for (int bits : new int[] {1024, 0}) {
            KeyPair pair = DkimKeys.generate(bits);
            String record = DkimKeys.keyRecord(pair.getPublic());
            assertThat(record).startsWith(bits == 0 ? "v=DKIM1; k=ed25519; p=" : "v=DKIM1; k=rsa; p=");
            assertThat(DkimKeyRecord.parse(record).publicKey()).isEqualTo(pair.getPublic());
        }
        String ed = DkimKeys.keyRecord(DkimKeys.generate(0).getPublic());
        assertThat(ed).hasSize("v=DKIM1; k=ed25519; p=".length() + 44);
    }

    @Test
    void zoneFileLineSplitsIntoStringsOfAtMost255() {
        String record = DkimKeys.keyRecord(DkimKeys.generate(2048).getPublic());
        assertThat(record.length()).isGreaterThan(255);
        String line = DkimKeys.zoneFileLine("s1", "example.com", record);
        assertThat(line).startsWith("s1._domainkey.example.com. IN TXT ( \"v=DKIM1; k=rsa; p=").endsWith("\" )");
        String inside = line.substring(line.indexOf("( ") + 2, line.length() - 2);
        String[] strings = inside.substring(1, inside.length() - 1).split("\" \"");
        assertThat(strings).hasSize(2);
        assertThat(strings[0]).hasSize(255);
        assertThat(String.join("", strings)).isEqualTo(record);
        assertThat(DkimKeys.zoneFileLine("s", "example.com", "v=DKIM1; k=ed25519; p=x"))
                .isEqualTo("s._domainkey.example.com. IN TXT ( \"v=DKIM1; k=ed25519; p=x\" )");
    }

    @Test
    void keyRecordFlagsAndDefaults() throws Exception {
        DkimKeyRecord plain = DkimKeyRecord.parse("p=AAAA");
        assertThat(plain.keyType()).isEqualTo("rsa");
        assertThat(plain.allowsEmail()).isTrue();
        assertThat(plain.allowsHash("sha256")).isTrue();
        assertThat(plain.testing() || plain.strict()).isFalse();
        DkimKeyRecord flagged = DkimKeyRecord.parse("v=DKIM1; k=ED25519; h=SHA256; s=email:tlsrpt; t=y:s; n=notes are ignored; p=AAAA");
        assertThat(flagged.keyType()).isEqualTo("ed25519");
        assertThat(flagged.hashes()).containsExactly("sha256");
        assertThat(flagged.services()).containsExactly("email", "tlsrpt");
        assertThat(flagged.testing() && flagged.strict()).isTrue();
        assertThat(DkimKeyRecord.parse("v=DKIM1; p=").revoked()).isTrue();
    }
}
