package dev.petrel.queue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupDirectorySyncTest {
    @Test
    void everyCallerIsCoveredByASyncThatStartedAfterItsCall() throws Exception {
        AtomicLong starts = new AtomicLong();
        AtomicLong highestCompletedStart = new AtomicLong();
        GroupDirectorySync sync = new GroupDirectorySync(Path.of("/test"), () -> {
            long mine = starts.incrementAndGet();
            sleep(2);
            highestCompletedStart.accumulateAndGet(mine, Math::max);
        });
        AtomicInteger violations = new AtomicInteger();
        int callers = 200;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                fs.add(ex.submit(() -> {
                    long startedBefore = starts.get(); // like a rename done just before sync()
                    sync.sync();
                    if (highestCompletedStart.get() <= startedBefore) violations.incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        }
        assertThat(violations).hasValue(0);
        assertThat(sync.syncCount()).isEqualTo(starts.get()).isLessThan(callers);
    }

    @Test
    void aFailedSyncFailsItsCallersAndTheNextOneStartsAfresh() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        GroupDirectorySync sync = new GroupDirectorySync(Path.of("/test/queue"), () -> {
            if (calls.incrementAndGet() == 1) throw new IOException("Input/output error");
        });
        assertThatThrownBy(sync::sync).isInstanceOf(IOException.class)
                .hasMessageContaining("/test/queue").hasRootCauseMessage("Input/output error");
        sync.sync();
        assertThat(sync.syncCount()).isEqualTo(2);
    }

    @Test
    void anInterruptedLeaderStillSyncsForOthersAndKeepsItsInterrupt() throws Exception {
        GroupDirectorySync sync = new GroupDirectorySync(Path.of("/test"), () -> {
            if (Thread.currentThread().isInterrupted()) throw new IOException("interrupted during fsync");
        });
        Thread.currentThread().interrupt();
        try {
            sync.sync();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
