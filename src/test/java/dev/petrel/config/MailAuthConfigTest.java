package dev.petrel.config;

import dev.petrel.config.PetrelConfig.DkimKey;
import dev.petrel.config.PetrelConfig.DmarcAction;
import dev.petrel.config.PetrelConfig.MailAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailAuthConfigTest {
    @TempDir Path dir;

    private PetrelConfig load(String toml) throws Exception {
        Path f = dir.resolve("petrel.toml");
        Files.writeString(f, toml);
        return ConfigLoader.load(f);
    }

    @Test
    void defaultsVerifyAndHonourDmarcWithoutKeys() throws Exception {
        assertThat(ConfigLoader.defaults().mailAuth()).isEqualTo(new MailAuth(true, null, DmarcAction.POLICY, List.of()));
        assertThat(load("[mail_auth]\n").mailAuth()).isEqualTo(MailAuth.DEFAULTS);
    }

    @Test
    void allKeys() throws Exception {
        Files.createDirectories(dir.resolve("dkim"));
        Files.writeString(dir.resolve("dkim/a.pem"), "key");
        Files.writeString(dir.resolve("dkim/b.pem"), "key");
        PetrelConfig c = load("""
                [mail_auth]
                verify = false
                authserv_id = "mx.example.com"
                dmarc_action = "quarantine"

                [[dkim]]
                domain = "Example.COM"
                selector = "rsa2026"
                private_key = "dkim/a.pem"

                [[dkim]]
                domain = "example.com"
                selector = "ed2026"
                private_key = "dkim/b.pem"
                """);
        assertThat(c.mailAuth()).isEqualTo(new MailAuth(false, "mx.example.com", DmarcAction.QUARANTINE, List.of(
                new DkimKey("example.com", "rsa2026", dir.resolve("dkim/a.pem")),
                new DkimKey("example.com", "ed2026", dir.resolve("dkim/b.pem")))));
    }

    @Test
    void trustedArcSealersAreDomainsInLowerCase() throws Exception {
        assertThat(load("[mail_auth]\ntrusted_arc_sealers = [\"Lists.Example.org\", \"forward.example.net\"]\n").mailAuth().trustedArcSealers())
                .containsExactly("lists.example.org", "forward.example.net");
        assertThat(MailAuth.DEFAULTS.trustedArcSealers()).isEmpty();
        assertThatThrownBy(() -> load("[mail_auth]\n\ntrusted_arc_sealers = [\"not a domain\"]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("petrel.toml:3: ")
                .hasMessageContaining("\"not a domain\" is not a domain; list the d= domains of ARC sealers you trust");
    }

    @Test
    void arcSealingNamesOneOfTheDkimKeys() throws Exception {
        Files.writeString(dir.resolve("arc.pem"), "key");
        String dkim = """
                [[dkim]]
                domain = "example.net"
                selector = "arc2026"
                private_key = "arc.pem"
                """;
        PetrelConfig c = load("[mail_auth]\narc_domain = \"example.net\"\narc_selector = \"arc2026\"\n\n" + dkim);
        assertThat(c.mailAuth().arcSealKey()).isEqualTo(new DkimKey("example.net", "arc2026", dir.resolve("arc.pem")));
        assertThatThrownBy(() -> load("[mail_auth]\narc_domain = \"example.net\"\narc_selector = \"other\"\n\n" + dkim))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("petrel.toml:2: [mail_auth] arc_domain and arc_selector must name one of the [[dkim]] keys");
    }

    @Test
    void mistakesNameTheirLines() {
        String f = dir.resolve("petrel.toml").toString();
        assertThatThrownBy(() -> load("""
                [mail_auth]
                dmarc_action = "ignore"

                [[dkim]]
                domain = "localhost"
                selector = "s_1"
                private_key = "missing.pem"

                [[dkim]]
                selector = "s1"
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":2: mail_auth.dmarc_action = \"ignore\" is not valid; use \"policy\", \"quarantine\" or \"none\"")
                .hasMessageContaining(f + ":5: [[dkim]] #1: domain = \"localhost\" is not a domain")
                .hasMessageContaining(f + ":6: [[dkim]] #1: selector = \"s_1\" is not valid")
                .hasMessageContaining(f + ":7: [[dkim]] #1: private_key " + dir.resolve("missing.pem") + " cannot be read; create it with petrel dkim keygen")
                .hasMessageContaining(f + ":9: [[dkim]] #2 has no domain; add domain = \"example.com\"")
                .hasMessageContaining(f + ":9: [[dkim]] #2 has no private_key");
    }
}
