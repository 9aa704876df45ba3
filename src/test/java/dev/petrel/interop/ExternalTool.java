package dev.petrel.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real client program (swaks, python3) with a time limit, keeping its output for assertions. */
final class ExternalTool {
    private ExternalTool() {}

    /** What a run left behind; {@link #toString()} is the whole story, for assertion messages. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }

        @Override
        public String toString() {
            return "command: " + String.join(" ", command) + "\nexit code: " + exitCode
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /** Where a program lives on PATH, or null. */
    static Path which(String program) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /**
     * Runs {@code command} in {@code workDir}; stdout and stderr go to files there (so a chatty
     * program can never block on a full pipe). Kills it and fails after {@code timeout}.
     */
    static Result run(Path workDir, Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(workDir, "stdout", ".txt");
        Path stderr = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout + ": " + new Result(command, -1,
                        Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8)));
            }
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
        return new Result(command, p.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /**
     * Runs a shell script whose text is written as UTF-8 bytes, so that non-ASCII arguments reach
     * the program intact whatever this JVM's locale is (ProcessBuilder encodes arguments in it).
     */
    static Result runScript(Path workDir, Duration timeout, String script) throws IOException, InterruptedException {
        Path file = Files.createTempFile(workDir, "run", ".sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        return run(workDir, timeout, List.of("/bin/sh", file.toString()));
    }

    /** Quotes a value for /bin/sh. */
    static String sh(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
