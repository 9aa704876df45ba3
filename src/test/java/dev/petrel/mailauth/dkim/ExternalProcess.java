package dev.petrel.mailauth.dkim;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs another DKIM implementation (dkimpy, opendkim) with a time limit; output goes to files, never a full pipe. */
public final class ExternalProcess {
    private ExternalProcess() {}

    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "command: " + String.join(" ", command) + "\nexit code: " + exitCode
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    public static boolean installed(String path) {
        return Files.isExecutable(Path.of(path));
    }

    public static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(workDir, "stdout", ".txt");
        Path stderr = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        Duration timeout = Duration.ofSeconds(60);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
        }
        return new Result(command, p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** A script from src/test/resources/dkim, copied into {@code dir} (resources may sit in a jar). */
    public static Path script(Path dir, String name) throws IOException {
        Path target = dir.resolve(name);
        try (var in = ExternalProcess.class.getResourceAsStream("/dkim/" + name)) {
            if (in == null) throw new IOException("missing test resource /dkim/" + name);
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
