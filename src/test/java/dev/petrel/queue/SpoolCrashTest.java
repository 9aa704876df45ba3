package dev.petrel.queue;

import dev.petrel.message.QueueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a committing process with SIGKILL and checks that every message it acknowledged is in
 * the spool, intact, and that nothing torn is listed. Note: a process kill keeps the page cache,
 * so this proves atomicity (no half-written message ever in queue/, tmp/ cleaned); surviving a
 * power cut additionally rests on the fsyncs, which a test cannot pull the plug on.
 */
class SpoolCrashTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesKillMinusNine() throws Exception {
        Path root = dir.resolve("spool");
        Path stderr = dir.resolve("child.err");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SpoolCrashChild.class.getName(), root.toString(), "20000", "30", "8")
                .redirectError(stderr.toFile())
                .start();
        List<QueueId> acknowledged = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith(SpoolCrashChild.PREFIX)) {
                        acknowledged.add(new QueueId(line.substring(SpoolCrashChild.PREFIX.length())));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < 300 && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(child.isAlive()).as("child still committing; its stderr: %s", Files.readString(stderr)).isTrue();
        child.destroyForcibly(); // SIGKILL, mid-commit for some sessions
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        reader.join(); // ids already in the pipe were printed after commit too

        FileSpool spool = new FileSpool(root, 0);
        List<QueueId> listed = spool.list();
        System.out.printf("acknowledged %d, listed %d after kill%n", acknowledged.size(), listed.size());
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);
        assertThat(listed).containsAll(acknowledged);
        for (QueueId id : listed) {
            SpooledMessage m = spool.read(id);
            assertThat(m.envelope().recipients().getFirst().address().localPart()).isEqualTo("crash");
            assertThat(SpoolCrashChild.intact(m.content())).as("content of %s intact", id).isTrue();
        }
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }
}
