package dev.petrel.config;

import dev.petrel.config.PetrelConfig.BareLineEndings;
import dev.petrel.config.PetrelConfig.Listener;
import dev.petrel.config.PetrelConfig.ListenerMode;
import dev.petrel.config.PetrelConfig.LongLines;
import dev.petrel.config.PetrelConfig.TlsMode;
import dev.petrel.message.IpNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaults() {
        PetrelConfig c = ConfigLoader.defaults();
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(c.source()).isNull();
        assertThat(c.server().hostname()).isEqualTo("localhost");
        assertThat(c.server().dataDir()).isEqualTo(cwd.resolve("petrel-data"));
        assertThat(c.server().maxConnections()).isEqualTo(1000);
        assertThat(c.server().maxConnectionsPerIp()).isEqualTo(50);
        assertThat(c.smtp().maxMessageSize()).isEqualTo(25L * 1024 * 1024);
        assertThat(c.smtp().maxRecipients()).isEqualTo(100);
        assertThat(c.smtp().bareLineEndings()).isEqualTo(BareLineEndings.NORMALIZE);
        assertThat(c.smtp().longLines()).isEqualTo(LongLines.REJECT);
        assertThat(c.smtp().maxErrors()).isEqualTo(10);
        assertThat(c.smtp().commandTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.smtp().dataTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.smtp().greetPause()).isEqualTo(Duration.ZERO);
        assertThat(c.tls().certificate()).isNull();
        assertThat(c.tls().privateKey()).isNull();
        assertThat(c.listeners()).containsExactly(
                new Listener("smtp", new InetSocketAddress("127.0.0.1", 2525), ListenerMode.MX, TlsMode.STARTTLS),
                new Listener("submission", new InetSocketAddress("127.0.0.1", 2587), ListenerMode.SUBMISSION, TlsMode.STARTTLS),
                new Listener("submissions", new InetSocketAddress("127.0.0.1", 2465), ListenerMode.SUBMISSION, TlsMode.IMPLICIT));
        assertThat(c.relay().localDomains()).containsExactly("localhost");
        assertThat(c.relay().trustedNetworks()).containsExactly(IpNetwork.parse("127.0.0.0/8"), IpNetwork.parse("::1/128"));
        assertThat(c.auth().usersFile()).isEqualTo(cwd.resolve("petrel-data").resolve("users"));
        assertThat(c.auth().maxFailuresPerIp()).isEqualTo(10);
        assertThat(c.auth().failureWindow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.auth().failureDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void emptyFileGivesTheDefaultsWithPathsBesideTheFile() throws Exception {
        PetrelConfig c = ConfigLoader.load(write(""));
        PetrelConfig d = ConfigLoader.defaults();
        assertThat(c.source()).isEqualTo(dir.resolve("petrel.toml"));
        assertThat(c.server().dataDir()).isEqualTo(dir.resolve("petrel-data"));
        assertThat(c.auth().usersFile()).isEqualTo(dir.resolve("petrel-data/users"));
        assertThat(c.smtp()).isEqualTo(d.smtp());
        assertThat(c.listeners()).isEqualTo(d.listeners());
        assertThat(c.relay()).isEqualTo(d.relay());
    }

    @Test
    void exampleFileLoads() throws Exception {
        Path example = Path.of("docs/petrel.example.toml");
        PetrelConfig c = ConfigLoader.load(example);
        Path docs = example.toAbsolutePath().getParent();
        assertThat(c.server().hostname()).isEqualTo("mail.example.com");
        assertThat(c.server().dataDir()).isEqualTo(docs.resolve("petrel-data"));
        assertThat(c.listeners()).extracting(Listener::name).containsExactly("smtp", "submission", "submissions");
        assertThat(c.relay().localDomains()).containsExactly("localhost", "example.com");
        assertThat(c.relay().trustedNetworks()).hasSize(2);
        assertThat(c.queue()).isEqualTo(ConfigLoader.defaults().queue());
        assertThat(c.delivery().routes()).extracting(PetrelConfig.Route::domain).containsExactly("partner.example.org", ".corp.example.net");
        assertThat(c.delivery().smarthost()).isNull();
        assertThat(c.local().users()).containsExactly("alice", "bob", "postmaster");
        assertThat(c.local().aliases()).containsEntry("sales", java.util.List.of("alice", "bob"));
    }

    @Test
    void fullFile() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "x");
        Files.writeString(dir.resolve("key.pem"), "x");
        PetrelConfig c = ConfigLoader.load(write("""
                [server]
                hostname = "mx1.example.org"
                data_dir = "/var/lib/petrel"
                max_connections = 200
                max_connections_per_ip = 5

                [smtp]
                max_message_size = 1048576
                max_recipients = 500
                bare_line_endings = "reject"
                long_lines = "accept"
                max_errors = 3
                command_timeout = 60
                data_timeout = "10m"
                greet_pause = "250ms"

                [tls]
                certificate = "cert.pem"
                private_key = "key.pem"

                [[listener]]
                name = "mx"
                address = "0.0.0.0:25"

                [[listener]]
                name = "mx6"
                address = "[2001:db8::1]:25"
                mode = "mx"
                tls = "none"

                [[listener]]
                name = "subs"
                address = "localhost:465"
                mode = "submission"
                tls = "implicit"

                [relay]
                local_domains = ["Example.ORG."]
                trusted_networks = ["192.0.2.0/24"]

                [auth]
                users_file = "/etc/petrel/users"
                max_failures_per_ip = 3
                failure_window = "1h"
                failure_delay = 2
                """));
        assertThat(c.server()).isEqualTo(new PetrelConfig.Server("mx1.example.org", Path.of("/var/lib/petrel"), 200, 5));
        assertThat(c.smtp()).isEqualTo(new PetrelConfig.Smtp(1048576, 500, BareLineEndings.REJECT, LongLines.ACCEPT, 3,
                Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofMillis(250)));
        assertThat(c.tls()).isEqualTo(new PetrelConfig.Tls(dir.resolve("cert.pem"), dir.resolve("key.pem")));
        assertThat(c.listeners()).containsExactly(
                new Listener("mx", new InetSocketAddress("0.0.0.0", 25), ListenerMode.MX, TlsMode.STARTTLS),
                new Listener("mx6", new InetSocketAddress("2001:db8::1", 25), ListenerMode.MX, TlsMode.NONE),
                new Listener("subs", new InetSocketAddress("127.0.0.1", 465), ListenerMode.SUBMISSION, TlsMode.IMPLICIT));
        assertThat(c.relay().localDomains()).containsExactly("example.org");
        assertThat(c.relay().trustedNetworks()).containsExactly(IpNetwork.parse("192.0.2.0/24"));
        assertThat(c.auth()).isEqualTo(new PetrelConfig.Auth(Path.of("/etc/petrel/users"), 3, Duration.ofHours(1), Duration.ofSeconds(2)));
    }

    @Test
    void relativePathsResolveAgainstTheConfigFilesDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("etc/petrel"));
        Files.createDirectories(sub.resolve("tls"));
        Files.writeString(sub.resolve("tls/cert.pem"), "x");
        Files.writeString(sub.resolve("tls/key.pem"), "x");
        Path file = Files.writeString(sub.resolve("petrel.toml"), """
                [server]
                data_dir = "../../var/spool"
                [tls]
                certificate = "tls/cert.pem"
                private_key = "./tls/key.pem"
                [auth]
                users_file = "users.db"
                """);
        PetrelConfig c = ConfigLoader.load(file);
        assertThat(c.server().dataDir()).isEqualTo(dir.resolve("var/spool"));
        assertThat(c.tls().certificate()).isEqualTo(sub.resolve("tls/cert.pem"));
        assertThat(c.tls().privateKey()).isEqualTo(sub.resolve("tls/key.pem"));
        assertThat(c.auth().usersFile()).isEqualTo(sub.resolve("users.db"));
    }

    @Test
    void usersFileDefaultsIntoTheConfiguredDataDir() throws Exception {
        PetrelConfig c = ConfigLoader.load(write("[server]\ndata_dir = \"spool\"\n"));
        assertThat(c.auth().usersFile()).isEqualTo(dir.resolve("spool/users"));
    }

    @Test
    void listenersReplaceTheDefaultsEntirely() throws Exception {
        PetrelConfig c = ConfigLoader.load(write("[[listener]]\nname = \"only\"\naddress = \"127.0.0.1:2525\"\n"));
        assertThat(c.listeners()).containsExactly(
                new Listener("only", new InetSocketAddress("127.0.0.1", 2525), ListenerMode.MX, TlsMode.STARTTLS));
    }

    @Test
    void aTlsListenerNeedsNoCertificate() throws Exception {
        PetrelConfig c = ConfigLoader.load(write("[[listener]]\nname = \"s\"\naddress = \"127.0.0.1:2465\"\ntls = \"implicit\"\n"));
        assertThat(c.tls().certificate()).isNull();
        assertThat(c.listeners().getFirst().tls()).isEqualTo(TlsMode.IMPLICIT);
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("petrel.toml"), text);
    }
}
