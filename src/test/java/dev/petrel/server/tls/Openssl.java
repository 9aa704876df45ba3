package dev.petrel.server.tls;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the {@code openssl} command line in tests, with a bounded wait; skips the test if it is missing. */
final class Openssl {
    record Result(int exitCode, String output) {}

    private Openssl() {}

    static void assumeInstalled() {
        boolean found = false;
        try {
            found = run(Path.of(System.getProperty("java.io.tmpdir")), "version").exitCode() == 0;
        } catch (IOException | IllegalStateException e) {
            // not installed
        }
        assumeTrue(found, "openssl command line not installed");
    }

    /** Runs {@code openssl args} in {@code dir} with stdin empty; stdout and stderr together. */
    static Result run(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path output = Files.createTempFile("openssl", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl did not finish within 30 s: " + command);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Like {@link #run} but fails the test on a non-zero exit. */
    static String ok(Path dir, String... args) throws IOException {
        Result r = run(dir, args);
        if (r.exitCode() != 0) throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + r.output());
        return r.output();
    }
}
