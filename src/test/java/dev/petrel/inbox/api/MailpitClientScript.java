package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/resources/mailpit-client/check.mjs} (the {@code mailpit-api} npm client against
 * a Petrel base URL) with the machine's Node.js and returns what it printed as JSON.
 *
 * <p>The script, package.json and package-lock.json are copied to {@code target/mailpit-client}, and the
 * client is installed there with {@code npm ci} from the committed lock file, so nothing lands in the
 * source tree and the client version is exactly the pinned one. Every process is bounded by a timeout;
 * a missing {@code node} or {@code npm} fails with a message saying to install Node.js.
 */
final class MailpitClientScript {
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "check.mjs");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(20);
    /** A fresh machine downloads the one package from the registry; give a slow registry room. */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final int MIN_NODE_MAJOR = 18; // mailpit-api's "engines"

    private final Path dir;

    private MailpitClientScript(Path dir) {
        this.dir = dir;
    }

    /** Checks node and npm, copies the script to {@code target/mailpit-client} and installs the pinned client there. */
    static MailpitClientScript install() throws IOException, InterruptedException {
        checkNode();
        Path dir = projectDir().resolve("target").resolve("mailpit-client");
        Files.createDirectories(dir);
        for (String name : FILES) {
            try (InputStream in = MailpitClientScript.class.getResourceAsStream("/mailpit-client/" + name)) {
                if (in == null) throw new AssertionError("test resource mailpit-client/" + name + " is missing");
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Result npm = run(dir, INSTALL_TIMEOUT, dir.resolve("npm-ci.log"),
                "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=warn");
        if (npm.exitCode != 0) {
            throw new AssertionError("npm ci in " + dir + " failed (exit " + npm.exitCode + "):\n" + npm.output);
        }
        return new MailpitClientScript(dir);
    }

    /** Runs check.mjs against {@code baseUrl} with {@code plan} and returns the JSON it printed. */
    JsonNode run(String baseUrl, Map<String, Object> plan) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        Path stdout = dir.resolve("check.out.json");
        Result node = run(dir, RUN_TIMEOUT, stdout, "node", "check.mjs", baseUrl, json.writeValueAsString(plan));
        if (node.exitCode != 0) throw new AssertionError("node check.mjs failed (exit " + node.exitCode + "):\n" + node.output);
        String out = Files.readString(stdout, StandardCharsets.UTF_8).strip();
        String lastLine = out.substring(out.lastIndexOf('\n') + 1);
        return json.readTree(lastLine);
    }

    private static void checkNode() throws IOException, InterruptedException {
        Path log = Files.createTempFile("node-version", ".log");
        try {
            Result version = runOrExplain(log, "node", "--version");
            String text = version.output.strip();
            int major = Integer.parseInt(text.replaceFirst("^v(\\d+).*$", "$1"));
            if (major < MIN_NODE_MAJOR) {
                throw new AssertionError("Node.js " + text + " is too old for the mailpit-api client (needs " + MIN_NODE_MAJOR
                        + " or newer): install a newer nodejs");
            }
            runOrExplain(log, "npm", "--version");
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(log.resolveSibling(log.getFileName() + ".stderr"));
        }
    }

    private static Result runOrExplain(Path log, String... command) throws IOException, InterruptedException {
        Result result;
        try {
            result = run(Path.of("."), VERSION_TIMEOUT, log, command);
        } catch (IOException e) {
            throw new AssertionError("'" + command[0] + "' is not installed or not on PATH (" + e.getMessage() + "). This test runs the "
                    + "mailpit-api npm client and needs Node.js " + MIN_NODE_MAJOR + "+ with npm: install nodejs and npm "
                    + "(Debian: apt-get install nodejs npm; bin/install-test-deps.sh does it)", e);
        }
        if (result.exitCode != 0) throw new AssertionError(String.join(" ", command) + " failed: " + result.output);
        return result;
    }

    private record Result(int exitCode, String output) {
    }

    /**
     * Runs {@code command} in {@code dir}, stdout to {@code stdoutFile} and stderr beside it (files, not
     * pipes, so a chatty process cannot block), killing it after {@code timeout}. The output returned
     * is stdout followed by stderr, for error messages.
     */
    private static Result run(Path dir, Duration timeout, Path stdoutFile, String... command) throws IOException, InterruptedException {
        Path stderrFile = stdoutFile.resolveSibling(stdoutFile.getFileName() + ".stderr");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command)))
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdoutFile.toFile())
                .redirectError(stderrFile.toFile());
        builder.environment().put("npm_config_update_notifier", "false");
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command).substring(0, Math.min(200, String.join(" ", command).length()))
                    + " did not finish within " + timeout.toSeconds() + " s; output:\n" + output(stdoutFile, stderrFile));
        }
        return new Result(process.exitValue(), output(stdoutFile, stderrFile));
    }

    private static String output(Path stdoutFile, Path stderrFile) throws IOException {
        String out = Files.exists(stdoutFile) ? Files.readString(stdoutFile, StandardCharsets.UTF_8) : "";
        String err = Files.exists(stderrFile) ? Files.readString(stderrFile, StandardCharsets.UTF_8) : "";
        return err.isBlank() ? out : out + (out.isEmpty() ? "" : "\n") + err;
    }

    /** The Maven project directory: Surefire sets {@code basedir}; otherwise the working directory. */
    private static Path projectDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }
}
