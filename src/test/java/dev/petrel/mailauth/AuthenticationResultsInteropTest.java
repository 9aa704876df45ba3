package dev.petrel.mailauth;

import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.spf.SpfResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Our Authentication-Results fields as an independent parser reads them: Python's {@code authres}
 * module (Debian package python3-authres), which mail filters such as dkimpy-milter use. Skipped
 * when that module is not installed.
 */
class AuthenticationResultsInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String READER = """
            import sys, authres
            field = open(sys.argv[1], encoding='utf-8').read()
            parsed = authres.AuthenticationResultsHeader.parse(field)
            print('id ' + parsed.authserv_id)
            for r in parsed.results:
                print(' '.join([r.method + '=' + r.result] + [p.type + '.' + p.name + '=' + p.value for p in r.properties]))
            """;

    @TempDir
    Path dir;

    private String readWithAuthres(MailMessage.HeaderField field) throws IOException, InterruptedException {
        Path script = dir.resolve("read.py");
        Path input = dir.resolve("field.txt");
        Path output = dir.resolve("out.txt");
        Files.writeString(script, READER, StandardCharsets.UTF_8);
        Files.write(input, field.raw());
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), input.toString())
                .redirectOutput(output.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python3 did not finish in 30 s");
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static boolean authresInstalled() throws InterruptedException {
        if (!Files.isExecutable(PYTHON)) return false;
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import authres").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void authresReadsWhatWeWrite() throws Exception {
        assumeTrue(authresInstalled(), "python3-authres is not installed");
        MailMessage.HeaderField field = AuthenticationResults.builder("mx.petrel.example")
                .spf(new SpfResult(SpfResult.Kind.PASS, "mailfrom", "example.com", null, null), "alice@example.com")
                .dkim(new DkimResult(DkimResult.Kind.PASS, "example.com", "sel2026", "@example.com", "rsa-sha256", "AbCd+/12", null))
                .dkim(new DkimResult(DkimResult.Kind.FAIL, "other.example", "s", null, null, null, "bad\r\nX-Injected: 1"))
                .arc(dev.petrel.mailauth.arc.ArcResult.none())
                .build();
        assertThat(readWithAuthres(field).lines().toList()).containsExactly(
                "id mx.petrel.example",
                "spf=pass smtp.mailfrom=alice@example.com",
                "dkim=pass header.d=example.com header.i=@example.com header.s=sel2026 header.a=rsa-sha256 header.b=AbCd+/12",
                "dkim=fail header.d=other.example header.s=s",
                "arc=none");
    }

    @Test
    void authresSeesNoInjectedResult() throws Exception {
        assumeTrue(authresInstalled(), "python3-authres is not installed");
        MailMessage.HeaderField field = AuthenticationResults.builder("mx.petrel.example")
                .spf(new SpfResult(SpfResult.Kind.FAIL, "mailfrom", "evil.example", null, null),
                        "x; dkim=pass header.d=bank.example (")
                .build();
        List<String> lines = readWithAuthres(field).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("spf=fail smtp.mailfrom=");
    }
}
