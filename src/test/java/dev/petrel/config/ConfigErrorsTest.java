package dev.petrel.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every kind of mistake is reported with the file, the exact line and how to fix it. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    @Test
    void fileNotFound() {
        Path missing = dir.resolve("nope.toml");
        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": file not found (check the path given to --config)");
    }

    @Test
    void directoryInsteadOfFile() {
        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .hasMessage(dir + ": is a directory, not a file (check the path given to --config)");
    }

    @Test
    void syntaxErrorCarriesJacksonsLine() throws Exception {
        assertThat(problems("[server]\nhostname = \"a\"\n\n[smtp\n"))
                .singleElement().asString()
                .startsWith(file() + ":4: TOML syntax error (column ")
                .endsWith("; see https://toml.io/en/v1.0.0 for the syntax");
    }

    @Test
    void duplicateKeyIsReportedOnItsOwnLine() throws Exception {
        assertThat(problems("[server]\nhostname = \"a\"\nhostname = \"b\"\n\n\nmax_connections = 5\n"))
                .containsExactly(file() + ":3: TOML syntax error: duplicate key: this key is already set earlier in the same table; keep only one"
                        + "; see https://toml.io/en/v1.0.0 for the syntax");
    }

    @Test
    void unknownKeySuggestsTheClosest() throws Exception {
        assertThat(problems("# comment\n[server]\nhostname = \"a\"\nmax_conection = 5\n"))
                .containsExactly(file() + ":4: unknown key 'max_conection' in [server]; did you mean 'max_connections'? "
                        + "(known keys: hostname, data_dir, max_connections, max_connections_per_ip)");
    }

    @Test
    void unknownKeyWithNothingClose() throws Exception {
        assertThat(problems("[smtp]\ncolour = \"blue\"\n")).singleElement().asString()
                .startsWith(file() + ":2: unknown key 'colour' in [smtp] (known keys: max_message_size, ");
    }

    @Test
    void unknownTableSuggestsTheClosest() throws Exception {
        assertThat(problems("[server]\n\n[relya]\nlocal_domains = []\n"))
                .containsExactly(file() + ":3: unknown table [relya]; did you mean [relay]? "
                        + "(known tables: [server], [smtp], [tls], [[listener]], [relay], [auth], [queue], [delivery], [local], [admin])");
        assertThat(problems("[[listeners]]\nname = \"a\"\n")).singleElement().asString()
                .startsWith(file() + ":1: unknown table [listeners]; did you mean [[listener]]? ");
    }

    @Test
    void keyOutsideAnyTable() throws Exception {
        assertThat(problems("hostname = \"a\"\n")).singleElement().asString()
                .startsWith(file() + ":1: unknown key 'hostname' outside any table; keys belong under a table header");
    }

    @Test
    void invalidChoiceListsTheValidOnes() throws Exception {
        assertThat(problems("[smtp]\nmax_errors = 3\n\n\n\n\nbare_line_endings = \"strip\"\n"))
                .containsExactly(file() + ":7: smtp.bare_line_endings = \"strip\" is not valid; use \"normalize\" or \"reject\"");
        assertThat(problems("[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"\ntls = \"ssl\"\n"))
                .containsExactly(file() + ":4: [[listener]] #1: tls = \"ssl\" is not valid; use \"none\", \"starttls\" or \"implicit\"");
    }

    @Test
    void wrongType() throws Exception {
        assertThat(problems("[server]\nmax_connections = \"many\"\nhostname = 7\n")).containsExactly(
                file() + ":2: server.max_connections = \"many\" is not valid; use a whole number from 1 to 1000000",
                file() + ":3: server.hostname = 7 is not valid; use a quoted string");
        assertThat(problems("[relay]\nlocal_domains = \"example.com\"\n")).containsExactly(
                file() + ":2: relay.local_domains = \"example.com\" is not valid; use an array of quoted strings, such as [\"a\", \"b\"]");
    }

    @Test
    void tableWrittenAsAKey() throws Exception {
        assertThat(problems("server = 5\n")).containsExactly(
                file() + ":1: server must be a table; write [server] on a line of its own with its keys below it");
        assertThat(problems("[listener]\nname = \"a\"\n")).containsExactly(
                file() + ":1: listener must be an array of tables; write each listener as a [[listener]] table (double brackets)");
    }

    @Test
    void outOfRangeNumbers() throws Exception {
        assertThat(problems("""
                [server]
                max_connections = 0
                [smtp]
                max_message_size = 0
                max_recipients = 99999999999
                command_timeout = "0s"
                greet_pause = -1
                """)).containsExactly(
                file() + ":2: server.max_connections = 0 is not valid; use a whole number from 1 to 1000000",
                file() + ":4: smtp.max_message_size = 0 is out of range: it must be at least 1 octet",
                file() + ":5: smtp.max_recipients = 99999999999 is not valid; use a whole number from 1 to 100000",
                file() + ":6: smtp.command_timeout = \"0s\" is out of range: it must be longer than zero",
                file() + ":7: smtp.greet_pause = -1 is out of range: it must not be negative");
    }

    @Test
    void badSizeAndDuration() throws Exception {
        assertThat(problems("[smtp]\nmax_message_size = \"25 MeB\"\ndata_timeout = \"3 minutes\"\n")).containsExactly(
                file() + ":2: smtp.max_message_size = \"25 MeB\" is not a size; " + Units.SIZE_HINT,
                file() + ":3: smtp.data_timeout = \"3 minutes\" is not a duration; " + Units.DURATION_HINT);
    }

    @Test
    void badListenerAddresses() throws Exception {
        assertThat(problems("""
                [[listener]]
                name = "a"
                address = "mail.example.com:25"
                [[listener]]
                name = "b"
                address = "127.0.0.1:70000"
                [[listener]]
                name = "c"
                address = "::1:25"
                """)).containsExactly(
                file() + ":3: [[listener]] #1: address = \"mail.example.com:25\" does not have a numeric IP address; host names are not looked up; " + ListenerAddress.HINT,
                file() + ":6: [[listener]] #2: address = \"127.0.0.1:70000\" has port 70000, outside 1-65535; " + ListenerAddress.HINT,
                file() + ":9: [[listener]] #3: address = \"::1:25\" is not a listener address; " + ListenerAddress.HINT);
    }

    @Test
    void listenerWithoutNameOrAddress() throws Exception {
        assertThat(problems("[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"\n\n[[listener]]\nmode = \"mx\"\n")).containsExactly(
                file() + ":5: [[listener]] #2 has no name; add name = \"smtp\" (any short, unique name for logs)",
                file() + ":5: [[listener]] #2 has no address; add address = \"127.0.0.1:2525\" (" + ListenerAddress.HINT + ")");
    }

    @Test
    void duplicateListenerNamesAndAddresses() throws Exception {
        assertThat(problems("""
                [[listener]]
                name = "smtp"
                address = "127.0.0.1:25"

                [[listener]]
                name = "smtp"
                address = "127.0.0.1:587"

                [[listener]]
                name = "any"
                address = "0.0.0.0:25"

                [[listener]]
                name = "v6"
                address = "[2001:db8::1]:25"

                [[listener]]
                name = "all"
                address = "[::]:25"
                """)).containsExactly(
                file() + ":6: listener name 'smtp' is already used by the listener on 127.0.0.1:25 (line 1); give each [[listener]] a different name",
                file() + ":11: listener 'any' address 0.0.0.0:25 overlaps listener 'smtp' at 127.0.0.1:25 (line 1); "
                        + "use a different port (0.0.0.0 covers every IPv4 address on its port, [::] every address)",
                file() + ":19: listener 'all' address [0:0:0:0:0:0:0:0]:25 overlaps listener 'smtp' at 127.0.0.1:25 (line 1); "
                        + "use a different port (0.0.0.0 covers every IPv4 address on its port, [::] every address)");
    }

    @Test
    void emptyListenerList() throws Exception {
        assertThat(problems("[server]\nhostname = \"a\"\nlistener = []\n")).singleElement().asString()
                .startsWith(file() + ":3: unknown key 'listener' in [server]");
        assertThat(problems("listener = []\n")).containsExactly(
                file() + ":1: listener = [] leaves Petrel with no listeners; add a [[listener]] table, or remove the key to use the defaults");
    }

    @Test
    void certificateWithoutPrivateKey() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "x");
        assertThat(problems("[tls]\n\ncertificate = \"cert.pem\"\n")).containsExactly(
                file() + ":3: tls.certificate = \"cert.pem\" is set but tls.private_key is not; "
                        + "set both tls.certificate and tls.private_key, or neither to use a self-signed certificate generated in data_dir");
    }

    @Test
    void missingCertificateFile() throws Exception {
        Files.writeString(dir.resolve("key.pem"), "x");
        assertThat(problems("[tls]\ncertificate = \"cert.pem\"\nprivate_key = \"key.pem\"\n")).containsExactly(
                file() + ":2: tls.certificate = \"cert.pem\" names " + dir.resolve("cert.pem")
                        + ", which does not exist or is not a file; check the path (relative paths start at the configuration file's directory)");
    }

    @Test
    void badNetworksAndDomains() throws Exception {
        assertThat(problems("[relay]\nlocal_domains = [\"ok.example\", \"bad domain\"]\ntrusted_networks = [\n  \"10.0.0.0/8\",\n  \"0.0.0.0/0\",\n  \"lan\",\n]\n"))
                .containsExactly(
                        file() + ":2: relay.local_domains = [\"ok.example\",\"bad domain\"] is not valid: \"bad domain\" is not a domain name; write domains such as \"example.com\"",
                        file() + ":3: relay.trusted_networks = [\"10.0.0.0/8\",\"0.0.0.0/0\",\"lan\"] is not allowed: \"0.0.0.0/0\" trusts every address on the Internet "
                                + "and makes Petrel an open relay; list only your own clients' networks, such as \"192.0.2.0/24\"",
                        file() + ":3: relay.trusted_networks = [\"10.0.0.0/8\",\"0.0.0.0/0\",\"lan\"] is not valid: 'lan' is not an IP network; write it like 192.0.2.0/24 or 2001:db8::/32");
    }

    @Test
    void allProblemsAreReportedTogetherInLineOrder() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(write("""
                [smtp]
                long_lines = "wrap"

                [server]
                max_conection = 5

                [[listener]]
                name = "a"
                address = "127.0.0.1:0"

                [auth]
                failure_window = "soon"
                """)));
        assertThat(e.problems()).hasSize(4);
        assertThat(e.problems()).extracting(p -> p.substring(file().length(), p.indexOf(": ")))
                .containsExactly(":2", ":5", ":9", ":12");
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
    }

    private String file() {
        return dir.resolve("petrel.toml").toString();
    }

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("petrel.toml"), text);
    }

    private List<String> problems(String text) throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(write(text)));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }
}
