package dev.petrel.inbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class InboxCrashTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesAKill() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (acknowledged.size() < 200 && (line = out.readLine()) != null) {
                if (InboxStore.isWellFormedId(line)) acknowledged.add(line);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, writes may be mid-commit
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSize(200);

        try (InboxStore store = InboxStore.open(dir, Retention.unlimited())) {
            for (String id : acknowledged) assertThat(store.summary(id)).as("acknowledged message %s", id).isPresent();
            assertThat(store.list(0, 1).total()).isGreaterThanOrEqualTo(200);
            String next = store.store(TestMail.mail().captured("crash")).id();
            assertThat(next).isGreaterThan(acknowledged.getLast());
        }
    }
}
