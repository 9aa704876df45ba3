package dev.petrel.config;

import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.config.PetrelConfig.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** [queue], [delivery] (routes, smarthost), [local] (aliases) and [admin]: defaults, a full file, every mistake. */
class DeliveryConfigTest {
    private static final String SECRET = "s3cret-Pa55";

    @TempDir
    Path dir;

    @Test
    void defaults() {
        PetrelConfig c = ConfigLoader.defaults();
        assertThat(c.queue()).isEqualTo(new PetrelConfig.Queue(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5),
                Duration.ZERO, 100, 20, Duration.ofSeconds(5), 100));
        // Without a config file every recipient is captured into the test inbox, so nothing ever leaves the machine.
        assertThat(c.delivery()).isEqualTo(new PetrelConfig.Delivery(true, null, "localhost", Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofMinutes(10), OutboundTls.OPPORTUNISTIC, List.of(), null, true, true, null));
        assertThat(c.capture()).isEqualTo(PetrelConfig.Capture.OFF.withEnabled(true));
        for (String domain : List.of("gmail.com", "example.org", "localhost", "[192.0.2.1]")) {
            assertThat(new dev.petrel.delivery.Router(List.of("localhost"), c.delivery().routes(), c.delivery().smarthost(),
                    c.delivery().tls(), c.capture()::captures).route(new dev.petrel.message.MailAddress("someone", domain)))
                    .as(domain).isEqualTo(new dev.petrel.delivery.Route.Capture());
        }
        assertThat(c.local()).isEqualTo(new PetrelConfig.Local(c.server().dataDir().resolve("mail"), List.of("postmaster"),
                Map.of(), null, null));
        assertThat(c.admin().address()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @Test
    void emptyTablesAndDerivedDefaults() throws Exception {
        PetrelConfig c = load("""
                [server]
                hostname = "mx.example.org"
                data_dir = "spool"
                [queue]
                [delivery]
                [local]
                [admin]
                """);
        PetrelConfig d = ConfigLoader.defaults();
        assertThat(c.queue()).isEqualTo(d.queue());
        assertThat(c.delivery().heloName()).isEqualTo("mx.example.org");
        assertThat(c.local().maildirRoot()).isEqualTo(dir.resolve("spool/mail"));
        assertThat(c.admin()).isEqualTo(d.admin());
    }

    @Test
    void fullFile() throws Exception {
        Files.writeString(dir.resolve("relay.password"), SECRET + "\nignored second line\n");
        PetrelConfig c = load("""
                [relay]
                local_domains = ["example.com"]

                [queue]
                retry_min = "1m"
                retry_max = "2h"
                max_age = "3d"
                delay_warning = "4h"
                max_connections = 50
                max_connections_per_destination = 5
                connection_idle = "0s"
                max_messages_per_connection = 10

                [delivery]
                enabled = false
                resolver = "127.0.0.1"
                helo_name = "out.example.com"
                connect_timeout = "10s"
                command_timeout = "2m"
                data_timeout = 600
                tls = "verify"
                ipv6 = false
                mta_sts = false

                [[delivery.route]]
                domain = "Partner.Example."
                to = "127.0.0.1:2526"
                tls = "none"

                [[delivery.route]]
                domain = ".corp.example"
                to = "Gateway.Corp.Example"
                mx = true

                [[delivery.route]]
                domain = "v6.example"
                to = "[2001:db8::25]:2525"
                username = "v6user"
                password = "pw"

                [delivery.smarthost]
                to = "smtp.provider.example:587"
                username = "me@example.com"
                password_file = "relay.password"

                [local]
                maildir_root = "/var/mail/petrel"
                users = ["Alice", "bob", "postmaster"]
                catch_all = "alice"
                lmtp = "[::1]"

                [local.aliases]
                info = ["sales", "bob"]
                sales = ["alice", "bob"]
                abuse = "postmaster"

                [admin]
                address = "[::1]:8025"
                """);
        assertThat(c.queue()).isEqualTo(new PetrelConfig.Queue(Duration.ofMinutes(1), Duration.ofHours(2), Duration.ofDays(3),
                Duration.ofHours(4), 50, 5, Duration.ZERO, 10));
        PetrelConfig.Delivery d = c.delivery();
        assertThat(d.enabled()).isFalse();
        assertThat(d.resolver()).isEqualTo(new InetSocketAddress("127.0.0.1", 53));
        assertThat(d.heloName()).isEqualTo("out.example.com");
        assertThat(List.of(d.connectTimeout(), d.commandTimeout(), d.dataTimeout()))
                .containsExactly(Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofMinutes(10));
        assertThat(d.tls()).isEqualTo(OutboundTls.VERIFY);
        assertThat(d.ipv6()).isFalse();
        assertThat(d.mtaSts()).isFalse();
        assertThat(d.routes()).containsExactly( // file order
                new Route("partner.example", "127.0.0.1", 2526, false, OutboundTls.NONE, null, null),
                new Route(".corp.example", "gateway.corp.example", 25, true, OutboundTls.VERIFY, null, null),
                new Route("v6.example", "2001:db8::25", 2525, false, OutboundTls.VERIFY, "v6user", "pw"));
        assertThat(d.smarthost()).isEqualTo(new Route("*", "smtp.provider.example", 587, false, OutboundTls.VERIFY,
                "me@example.com", SECRET));
        assertThat(c.local().maildirRoot()).isEqualTo(Path.of("/var/mail/petrel"));
        assertThat(c.local().users()).containsExactly("alice", "bob", "postmaster");
        assertThat(c.local().catchAll()).isEqualTo("alice");
        assertThat(c.local().lmtp()).isEqualTo(new InetSocketAddress("::1", 24));
        // Aliases are resolved down to mailboxes, first-written order, no repeats.
        assertThat(c.local().aliases()).containsOnly(
                Map.entry("info", List.of("alice", "bob")),
                Map.entry("sales", List.of("alice", "bob")),
                Map.entry("abuse", List.of("postmaster")));
        assertThat(c.admin().address()).isEqualTo(new InetSocketAddress("::1", 8025));
    }

    @Test
    void credentialsRaiseTheDefaultTlsToRequired() throws Exception {
        PetrelConfig c = load("""
                [[delivery.route]]
                domain = "a.example"
                to = "relay.a.example"
                username = "u"
                password = "p"
                [[delivery.route]]
                domain = "b.example"
                to = "relay.b.example"
                [delivery.smarthost]
                to = "smtp.provider.example:587"
                username = "u"
                password = "%s"
                """.formatted(SECRET));
        assertThat(c.delivery().routes()).extracting(Route::tls).containsExactly(OutboundTls.REQUIRED, OutboundTls.OPPORTUNISTIC);
        assertThat(c.delivery().smarthost().tls()).isEqualTo(OutboundTls.REQUIRED);
        assertThat(c.delivery().toString()).doesNotContain(SECRET);
    }

    @Test
    void smarthostWithoutCredentialsTakesDeliveryTls() throws Exception {
        PetrelConfig c = load("[delivery]\ntls = \"none\"\n[delivery.smarthost]\nto = \"10.0.0.5\"\n");
        assertThat(c.delivery().smarthost()).isEqualTo(new Route("*", "10.0.0.5", 25, false, OutboundTls.NONE, null, null));
    }

    @Test
    void aliasForPostmasterReplacesItsMailbox() throws Exception {
        PetrelConfig c = load("[local]\nusers = [\"alice\"]\n[local.aliases]\npostmaster = \"alice\"\n");
        assertThat(c.local().users()).containsExactly("alice");
        assertThat(c.local().aliases()).containsExactly(Map.entry("postmaster", List.of("alice")));
    }

    @Test
    void loopbackRelayMayTakeAPasswordWithoutTls() throws Exception {
        PetrelConfig c = load("[[delivery.route]]\ndomain = \"t.example\"\nto = \"127.0.0.1:2526\"\ntls = \"none\"\nusername = \"u\"\npassword = \"p\"\n");
        assertThat(c.delivery().routes().getFirst().tls()).isEqualTo(OutboundTls.NONE);
    }

    @Test
    void queueMistakes() throws Exception {
        assertThat(problems("""
                [queue]
                retry_min = "2h"
                max_age = "1d"
                delay_warning = "1d"
                max_connections = 10
                max_connections_per_destination = 0
                connection_idle = "-"
                """)).containsExactly(
                file() + ":2: queue.retry_min = \"2h\" is not valid: queue.retry_max (1h) must be at least queue.retry_min (2h); raise retry_max or lower retry_min",
                file() + ":4: queue.delay_warning = \"1d\" is not valid: queue.delay_warning (1d) must be shorter than queue.max_age (1d), "
                        + "or the message bounces before the warning is sent; lower it, or write \"0s\" for no warning",
                file() + ":6: queue.max_connections_per_destination = 0 is not valid; use a whole number from 1 to 100000",
                file() + ":7: queue.connection_idle = \"-\" is not a duration; " + Units.DURATION_HINT);
        assertThat(problems("[queue]\nmax_connections = 10\nmax_connections_per_destination = 20\n")).containsExactly(
                file() + ":3: queue.max_connections_per_destination = 20 is not valid: queue.max_connections_per_destination (20) "
                        + "must not exceed queue.max_connections (10), the limit for all destinations together");
    }

    @Test
    void deliveryMistakes() throws Exception {
        assertThat(problems("""
                [delivery]
                enabled = "yes"
                resolver = "dns.example:53"
                helo_name = "not a name"
                tls = "starttls"
                ipv6 = 1
                timeout = "5s"
                mta_sts = "enforce"
                """)).containsExactly(
                file() + ":2: delivery.enabled = \"yes\" is not valid; use true or false (without quotes)",
                file() + ":3: delivery.resolver = \"dns.example:53\" is a host name; use a numeric IP address (the resolver is what looks names up), "
                        + "such as \"127.0.0.1\", \"127.0.0.1:53\" or \"[2001:db8::53]:53\"",
                file() + ":4: delivery.helo_name = \"not a name\" is not a host name; use this host's public name, such as \"mail.example.com\" (the default is server.hostname)",
                file() + ":5: delivery.tls = \"starttls\" is not valid; use \"none\", \"opportunistic\", \"required\" or \"verify\"",
                file() + ":6: delivery.ipv6 = 1 is not valid; use true or false (without quotes)",
                file() + ":7: unknown key 'timeout' in [delivery] (known keys: enabled, resolver, helo_name, connect_timeout, "
                        + "command_timeout, data_timeout, tls, ipv6, mta_sts, ca_file, route, smarthost)",
                file() + ":8: delivery.mta_sts = \"enforce\" is not valid; use true or false (without quotes)");
        assertThat(problems("[delivery]\nresolver = \"::1:53\"\n")).containsExactly(
                file() + ":2: delivery.resolver = \"::1:53\" is not an address: write an IPv6 address in brackets, such as [2001:db8::1]:25; "
                        + "write it as \"127.0.0.1\", \"127.0.0.1:53\" or \"[2001:db8::53]:53\" (port 53 when left out)");
    }

    @Test
    void caFileMustHoldAPemCertificate() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assertThat(load("[delivery]\nca_file = \"ca.pem\"\n").delivery().caFile()).isEqualTo(dir.resolve("ca.pem"));
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        String fix = "; name a PEM file of the CA certificates to trust (-----BEGIN CERTIFICATE-----), "
                + "relative to the configuration file's directory or absolute";
        assertThat(problems("[delivery]\nca_file = \"key.pem\"\n")).containsExactly(
                file() + ":2: delivery.ca_file = \"key.pem\" names " + dir.resolve("key.pem") + ", which holds no PEM certificate" + fix);
        assertThat(problems("[delivery]\nca_file = \"missing.pem\"\n")).containsExactly(
                file() + ":2: delivery.ca_file = \"missing.pem\" names " + dir.resolve("missing.pem")
                        + ", which cannot be read (NoSuchFileException)" + fix);
    }

    @Test
    void routeMistakes() throws Exception {
        assertThat(problems("""
                [relay]
                local_domains = ["example.com"]

                [[delivery.route]]
                domain = "example.com"
                to = "127.0.0.1:2526"

                [[delivery.route]]
                domain = "partner.example"
                to = "relay.partner.example:99999"

                [[delivery.route]]
                domain = "Partner.Example"
                to = "192.0.2.7"
                mx = true

                [[delivery.route]]
                to = "192.0.2.8"

                [[delivery.route]]
                domain = "*"
                to = "192.0.2.9"
                port = 25
                """)).containsExactly(
                file() + ":5: [[delivery.route]] #1: domain = \"example.com\" is a local domain (relay.local_domains): its mail is delivered to local mailboxes "
                        + "([local]) and never routed; remove this route, or remove \"example.com\" from relay.local_domains to relay its mail",
                file() + ":10: [[delivery.route]] #2: to = \"relay.partner.example:99999\" has port 99999, outside 1-65535; write it as \"smtp.example.net\", "
                        + "\"smtp.example.net:587\", \"192.0.2.1:2525\" or \"[2001:db8::1]:25\" (a host name or IP address; port 25 when left out)",
                file() + ":13: [[delivery.route]] #3: domain = \"Partner.Example\" already has a route (line 9); the first match wins, so this one would never be used; keep one",
                file() + ":15: [[delivery.route]] #3: mx = true needs a host name with MX records in to, but \"192.0.2.7\" is an address; set mx = false to connect to it directly",
                file() + ":17: [[delivery.route]] #4 has no domain; add domain = \"example.com\" (or \".example.com\" for it and its subdomains)",
                file() + ":21: [[delivery.route]] #5: domain = \"*\" is not valid here; for all other mail use a [delivery.smarthost] table",
                file() + ":23: unknown key 'port' in [[delivery.route]] #5 (known keys: domain, to, mx, tls, username, password, password_file)");
    }

    @Test
    void aSubdomainRouteCoversItsParentWhichMayNotBeLocal() throws Exception {
        assertThat(problems("[relay]\nlocal_domains = [\"example.com\"]\n[[delivery.route]]\ndomain = \".example.com\"\nto = \"10.0.0.1\"\n"))
                .singleElement().asString().startsWith(file() + ":4: [[delivery.route]] #1: domain = \".example.com\" is a local domain");
    }

    @Test
    void routeAndSmarthostTablesWrittenWrongly() throws Exception {
        assertThat(problems("[delivery.route]\ndomain = \"a.example\"\n")).containsExactly(
                file() + ":1: delivery.route must be an array of tables; write each one as a [[delivery.route]] table (double brackets)");
        assertThat(problems("[[delivery.smarthost]]\nto = \"a.example\"\n")).containsExactly(
                file() + ":1: delivery.smarthost must be a table; write [delivery.smarthost] on a line of its own with its keys below it");
    }

    @Test
    void smarthostMistakes() throws Exception {
        assertThat(problems("[delivery]\ntls = \"none\"\n\n[delivery.smarthost]\nusername = \"me\"\n")).containsExactly(
                file() + ":4: [delivery.smarthost] has no to; add to = \"smtp.example.net:587\" (write it as \"smtp.example.net\", "
                        + "\"smtp.example.net:587\", \"192.0.2.1:2525\" or \"[2001:db8::1]:25\" (a host name or IP address; port 25 when left out))",
                file() + ":5: [delivery.smarthost] has a username but no password; add password_file = \"/etc/petrel/relay.password\" "
                        + "(preferred; its first line is the password) or password = \"...\"");
    }

    @Test
    void smarthostPasswordIsNeverInAnyMessage() throws Exception {
        Files.writeString(dir.resolve("empty.password"), "\n");
        List<String> all = new java.util.ArrayList<>();
        all.addAll(problems("[delivery.smarthost]\nto = \"smtp.example.net\"\nusername = \"u\"\npassword = \"" + SECRET
                + "\"\npassword_file = \"pw\"\n"));
        all.addAll(problems("[delivery.smarthost]\nto = \"smtp.example.net\"\npassword = \"" + SECRET + "\"\n"));
        all.addAll(problems("[delivery.smarthost]\nto = \"smtp.example.net\"\nusername = \"u\"\npassword = \"" + SECRET + "\"\ntls = \"opportunistic\"\n"));
        all.addAll(problems("[delivery.smarthost]\nto = \"smtp.example.net:x\"\nusername = \"u\"\npassword = \"" + SECRET + "\"\n"));
        all.addAll(problems("[delivery.smarthost]\nto = \"smtp.example.net\"\nusername = \"u\"\npassword = [\"" + SECRET + "\"]\n"));
        all.addAll(problems("[delivery.smarthost]\nto = \"smtp.example.net\"\nusername = \"u\"\npasword = \"" + SECRET + "\"\n"));
        assertThat(all).hasSize(7).noneMatch(p -> p.contains(SECRET));
        assertThat(all).containsExactly(
                file() + ":5: [delivery.smarthost] has both password and password_file; keep exactly one (password_file keeps the secret out of this file)",
                file() + ":3: [delivery.smarthost] has a password but no username; add username = \"...\" or remove password",
                file() + ":5: delivery.smarthost.tls = \"opportunistic\" would send the password in the clear whenever STARTTLS is missing or stripped "
                        + "by an attacker; use \"required\" or \"verify\" (only a relay on loopback may do without TLS)",
                file() + ":2: delivery.smarthost.to = \"smtp.example.net:x\" is not an address; write it as \"smtp.example.net\", \"smtp.example.net:587\", "
                        + "\"192.0.2.1:2525\" or \"[2001:db8::1]:25\" (a host name or IP address; port 25 when left out)",
                file() + ":4: delivery.smarthost.password is not valid; use a non-empty quoted string (the value is not shown here)",
                file() + ":3: [delivery.smarthost] has a username but no password; add password_file = \"/etc/petrel/relay.password\" "
                        + "(preferred; its first line is the password) or password = \"...\"",
                file() + ":4: unknown key 'pasword' in [delivery.smarthost]; did you mean 'password'? (known keys: to, mx, tls, username, password, password_file)");
        assertThat(problems("[delivery.smarthost]\nto = \"a.example\"\nusername = \"u\"\npassword_file = \"empty.password\"\n")).containsExactly(
                file() + ":4: delivery.smarthost.password_file = \"empty.password\" names " + dir.resolve("empty.password")
                        + ", whose first line is empty; write the password on the first line of that file, readable only by Petrel's user (chmod 600)");
        assertThat(problems("[delivery.smarthost]\nto = \"a.example\"\nusername = \"u\"\npassword_file = \"missing\"\n")).containsExactly(
                file() + ":4: delivery.smarthost.password_file = \"missing\" names " + dir.resolve("missing")
                        + ", which cannot be read (NoSuchFileException); write the password on the first line of that file, readable only by Petrel's user (chmod 600)");
    }

    @Test
    void localMistakes() throws Exception {
        assertThat(problems("""
                [local]
                users = ["alice", ".hidden", "x/y"]
                catch_all = "carol"
                lmtp = "dovecot.example:24"
                maildir_rot = "mail"
                """)).containsExactly(
                file() + ":2: local.users = [\"alice\",\".hidden\",\"x/y\"] is not valid: \".hidden\" is not a mailbox name; "
                        + "use 1 to 64 of a-z, 0-9, '.', '_', '+' and '-', not starting with '.'",
                file() + ":2: local.users = [\"alice\",\".hidden\",\"x/y\"] is not valid: \"x/y\" is not a mailbox name; "
                        + "use 1 to 64 of a-z, 0-9, '.', '_', '+' and '-', not starting with '.'",
                file() + ":3: local.catch_all = \"carol\" is not one of local.users (alice, postmaster); add it to local.users, "
                        + "or name one of them (an alias cannot be the catch-all)",
                file() + ":4: local.lmtp = \"dovecot.example:24\" is a host name; use a numeric IP address (Petrel does not look names up while loading), "
                        + "such as \"127.0.0.1:24\" or \"[::1]:24\"",
                file() + ":5: unknown key 'maildir_rot' in [local]; did you mean 'maildir_root'? (known keys: maildir_root, users, catch_all, lmtp, aliases)");
        assertThat(problems("[local]\nusers = [\"" + "a".repeat(65) + "\"]\n")).singleElement().asString()
                .contains("is not a mailbox name");
    }

    @Test
    void aliasMistakes() throws Exception {
        assertThat(problems("""
                [local]
                users = ["alice", "bob"]
                [local.aliases]
                info = ["alice", "carol"]
                bob = "alice"
                "sales team" = "alice"
                empty = []
                Info = "bob"
                """)).containsExactly(
                file() + ":4: local.aliases.info = [\"alice\",\"carol\"] is not valid: alias 'info' names \"carol\", which is neither in local.users "
                        + "nor an alias; add it to local.users or define it in [local.aliases]",
                file() + ":5: local.aliases.bob = \"alice\" is not valid: \"bob\" is also in local.users; a name is either a mailbox or an alias, remove one",
                file() + ":6: local.aliases.sales team = \"alice\" is not valid: \"sales team\" is not an alias name; "
                        + "use 1 to 64 of a-z, 0-9, '.', '_', '+' and '-', not starting with '.'",
                file() + ":7: local.aliases.empty = [] is not valid; write a quoted name or an array of names, such as [\"alice\", \"bob\"]",
                file() + ":8: local.aliases.Info = \"bob\" is not valid: it is the same alias as 'info' (line 4), as names ignore case; keep one");
    }

    @Test
    void aliasLoop() throws Exception {
        assertThat(problems("""
                [local]
                users = ["alice"]
                [local.aliases]
                info = ["sales"]
                sales = ["alice", "support"]
                support = "info"
                self = "self"
                """)).containsExactly(
                file() + ":4: local.aliases.info = [\"sales\"] is not valid: aliases form a loop (info -> sales -> support -> info), "
                        + "so mail to them could never reach a mailbox; make one of them name users only",
                file() + ":7: local.aliases.self = \"self\" is not valid: aliases form a loop (self -> self), "
                        + "so mail to them could never reach a mailbox; make one of them name users only");
    }

    @Test
    void adminMustBeLoopback() throws Exception {
        assertThat(problems("[admin]\naddress = \"0.0.0.0:8025\"\n")).containsExactly(
                file() + ":2: admin.address = \"0.0.0.0:8025\" is not a loopback address; the admin API listens on loopback only, as it can read "
                        + "and delete queued mail; use \"127.0.0.1:8025\", \"[::1]:8025\" or \"127.0.0.1:0\" (0 picks a free port) "
                        + "and reach it from elsewhere through an SSH tunnel");
        assertThat(problems("[admin]\naddress = \"admin.example:8025\"\n")).singleElement().asString()
                .startsWith(file() + ":2: admin.address = \"admin.example:8025\" is not a loopback address;");
        assertThat(problems("[admin]\naddress = \"127.0.0.1:65536\"\n")).containsExactly(
                file() + ":2: admin.address = \"127.0.0.1:65536\" has port 65536, outside 0-65535; write it as "
                        + "\"127.0.0.1:8025\", \"[::1]:8025\" or \"127.0.0.1:0\" (0 picks a free port)");
        assertThat(load("[admin]\naddress = \"localhost:9000\"\n").admin().address())
                .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000));
    }

    private String file() {
        return dir.resolve("petrel.toml").toString();
    }

    private PetrelConfig load(String text) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve("petrel.toml"), text));
    }

    private List<String> problems(String text) throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(Files.writeString(dir.resolve("petrel.toml"), text)));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }
}
