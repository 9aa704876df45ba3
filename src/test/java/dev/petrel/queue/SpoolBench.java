package dev.petrel.queue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Durable commits per second for 4 KiB messages, 1 and 20 sessions. A printout, not an assertion.
 * Run with {@code mvn test -Dtest=SpoolBench -Dpetrel.bench=true} (output in
 * target/surefire-reports) or via {@link #main}; {@code -Dpetrel.bench.dir=...} picks the disk.
 */
@Tag("bench")
class SpoolBench {
    private static final int MESSAGES = 2_000;
    private static final int SIZE = 4096;

    @Test
    @EnabledIfSystemProperty(named = "petrel.bench", matches = "true")
    void commitRate() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        Path base = Files.createTempDirectory(Path.of(System.getProperty("petrel.bench.dir", System.getProperty("java.io.tmpdir"))), "spool-bench");
        try {
            run(base.resolve("warmup"), 4, 500);
            for (int sessions : new int[] {1, 20}) run(base.resolve("s" + sessions), sessions, MESSAGES);
        } finally {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path root, int sessions, int messages) throws Exception {
        FileSpool spool = new FileSpool(root, 0);
        byte[] content = new byte[SIZE];
        Arrays.fill(content, (byte) 'x');
        AtomicInteger left = new AtomicInteger(messages);
        long t0 = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                fs.add(ex.submit(() -> {
                    while (left.getAndDecrement() > 0) FileSpoolTest.commit(spool, TestEnvelopes.simple("bench"), content);
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (root.getFileName().toString().equals("warmup")) return;
        System.out.printf("spool bench: %2d session(s), %d x %d B: %.0f commits/s, %d directory fsyncs for %d commits%n",
                sessions, messages, SIZE, spool.commitCount() / secs, spool.directorySyncCount(), spool.commitCount());
    }
}
