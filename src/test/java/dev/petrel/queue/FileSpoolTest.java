package dev.petrel.queue;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSpoolTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEnvelopeAndBinaryContent() throws IOException {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        byte[] content = new byte[1024];
        for (int i = 0; i < content.length; i++) content[i] = (byte) i; // NUL, CR, LF, 8-bit...
        Envelope envelope = TestEnvelopes.full();
        QueueId id;
        try (SpoolWriter w = spool.create(envelope, content.length)) {
            id = w.id();
            w.write(content, 0, 10);
            w.write(content, 10, content.length - 10);
            assertThat(w.size()).isEqualTo(content.length);
            w.commit();
        }
        SpooledMessage m = spool.read(id);
        assertThat(m.id()).isEqualTo(id);
        assertThat(m.envelope()).isEqualTo(envelope);
        assertThat(m.content()).isEqualTo(content);
        assertThat(spool.list()).containsExactly(id);
        assertThat(spool.commitCount()).isEqualTo(1);
        assertThat(spool.directorySyncCount()).isEqualTo(1);
    }

    @Test
    void roundTripsEmptyAndLargeContentWrittenInMixedChunks() throws IOException {
        FileSpool spool = new FileSpool(dir, 0);
        QueueId empty = commit(spool, TestEnvelopes.minimal(), new byte[0]);
        assertThat(spool.read(empty).content()).isEmpty();
        assertThat(spool.read(empty).envelope()).isEqualTo(TestEnvelopes.minimal());

        byte[] big = new byte[1_000_003];
        new Random(7).nextBytes(big);
        QueueId id;
        try (SpoolWriter w = spool.create(TestEnvelopes.minimal(), big.length)) {
            id = w.id();
            Random r = new Random(8);
            int off = 0;
            while (off < big.length) { // chunks both below and above the 64 KiB buffer
                int n = Math.min(big.length - off, r.nextBoolean() ? r.nextInt(100) : r.nextInt(200_000));
                w.write(big, off, n);
                off += n;
            }
            w.commit();
        }
        assertThat(spool.read(id).content()).isEqualTo(big);
    }

    @Test
    void envelopeCanBeReplacedBeforeTheContentButNotAfter() throws IOException {
        FileSpool spool = new FileSpool(dir, 0);
        byte[] content = "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        QueueId id;
        try (SpoolWriter w = spool.create(TestEnvelopes.full(), content.length)) {
            id = w.id();
            w.replaceEnvelope(TestEnvelopes.full().withQuarantine("DMARC policy quarantine for example.org"));
            w.write(content, 0, content.length);
            assertThatThrownBy(() -> w.replaceEnvelope(TestEnvelopes.minimal())).isInstanceOf(IllegalStateException.class);
            w.commit();
        }
        assertThat(spool.read(id).envelope()).isEqualTo(TestEnvelopes.full().withQuarantine("DMARC policy quarantine for example.org"));
        assertThat(spool.read(id).content()).isEqualTo(content);
    }

    @Test
    void fileStartsWithTheFormatLineAndTheEnvelopeLine() throws IOException {
        FileSpool spool = new FileSpool(dir, 0);
        QueueId id = commit(spool, TestEnvelopes.minimal(), "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII));
        String text = Files.readString(dir.resolve("queue").resolve(id.value()));
        assertThat(text).startsWith("PETREL1\n{").endsWith("}\nSubject: x\r\n\r\nhi\r\n");
    }

    @Test
    void abortAndCloseWithoutCommitLeaveNothing() throws IOException {
        FileSpool spool = new FileSpool(dir, 0);
        SpoolWriter aborted = spool.create(TestEnvelopes.minimal(), 0);
        aborted.write(new byte[100], 0, 100);
        aborted.abort();
        aborted.abort(); // idempotent, never throws
        try (SpoolWriter closed = spool.create(TestEnvelopes.minimal(), 0)) {
            closed.write(new byte[100_000], 0, 100_000);
        }
        assertThat(spool.list()).isEmpty();
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
        assertThat(dir.resolve("queue")).isEmptyDirectory();
        assertThatThrownBy(() -> aborted.write(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(aborted::commit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void uncommittedMessagesAreNeverListed() throws IOException {
        FileSpool spool = new FileSpool(dir, 0);
        QueueId done = commit(spool, TestEnvelopes.minimal(), new byte[] {1});
        try (SpoolWriter pending = spool.create(TestEnvelopes.minimal(), 0)) {
            pending.write(new byte[70_000], 0, 70_000); // past the buffer: bytes are on disk in tmp/
            assertThat(spool.list()).containsExactly(done);
            assertThatThrownBy(() -> spool.read(pending.id())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void listIsSortedAndIgnoresNonMessageNames() throws IOException, InterruptedException {
        FileSpool spool = new FileSpool(dir, 0);
        List<QueueId> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(commit(spool, TestEnvelopes.minimal(), new byte[] {(byte) i}));
            Thread.sleep(2);
        }
        Files.writeString(dir.resolve("queue").resolve(ids.get(0).value() + ".status"), "later\n");
        assertThat(spool.list()).containsExactlyElementsOf(ids).isSorted();
    }

    @Test
    void leftoversInTmpAreRemovedOnStart() throws IOException {
        FileSpool first = new FileSpool(dir, 0);
        QueueId kept = commit(first, TestEnvelopes.minimal(), new byte[] {42});
        SpoolWriter abandoned = first.create(TestEnvelopes.minimal(), 0); // as if the process died here
        abandoned.write(new byte[100_000], 0, 100_000);
        Files.writeString(dir.resolve("tmp").resolve("junk"), "x");
        assertThat(Files.list(dir.resolve("tmp")).count()).isEqualTo(2);

        FileSpool second = new FileSpool(dir, 0);
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
        assertThat(second.list()).containsExactly(kept);
        assertThat(second.read(kept).content()).containsExactly(42);
    }

    @Test
    void createsMissingDirectories() throws IOException {
        Path root = dir.resolve("a/b/spool");
        new FileSpool(root);
        assertThat(root.resolve("tmp")).isDirectory();
        assertThat(root.resolve("queue")).isDirectory();
    }

    @Test
    void corruptFilesAreReportedByName() throws IOException {
        FileSpool spool = new FileSpool(dir, 0);
        Path queue = dir.resolve("queue");
        QueueId noMagic = QueueId.generate(1);
        Files.writeString(queue.resolve(noMagic.value()), "From: x\r\n");
        QueueId truncated = QueueId.generate(2);
        Files.writeString(queue.resolve(truncated.value()), "PETREL1\n{\"recipients\":[");
        QueueId badJson = QueueId.generate(3);
        Files.writeString(queue.resolve(badJson.value()), "PETREL1\n{\"body\":\"SEVEN_BIT\"}\ncontent");

        assertThat(spool.list()).containsExactly(noMagic, truncated, badJson);
        for (QueueId id : spool.list()) {
            assertThatThrownBy(() -> spool.read(id)).isInstanceOf(IOException.class)
                    .hasMessageContaining(queue.resolve(id.value()).toString());
        }
    }

    @Test
    void refusesWhenTheReserveWouldBeCrossed() throws IOException {
        FileSpool spool = new FileSpool(dir, Long.MAX_VALUE / 2);
        assertThat(spool.hasRoomFor(0)).isFalse();
        assertThatThrownBy(() -> spool.create(TestEnvelopes.minimal(), 10)).isInstanceOf(SpoolFullException.class)
                .hasMessageContaining("reserve");
        assertThat(dir.resolve("tmp")).isEmptyDirectory();

        FileSpool roomy = new FileSpool(dir, 1024);
        assertThat(roomy.hasRoomFor(1000)).isTrue();
        assertThat(roomy.hasRoomFor(Long.MAX_VALUE / 2)).isFalse();
        assertThatThrownBy(() -> roomy.create(TestEnvelopes.minimal(), Long.MAX_VALUE / 2)).isInstanceOf(SpoolFullException.class);
    }

    @Test
    void enospcBecomesSpoolFull() {
        QueueId id = QueueId.generate(0);
        assertThat(FileSpool.full(new IOException("No space left on device"), id))
                .isInstanceOf(SpoolFullException.class).hasMessageContaining(id.value());
        IOException other = new IOException("Input/output error");
        assertThat(FileSpool.full(other, id)).isSameAs(other);
    }

    @Test
    void concurrentCommitsShareDirectoryFsyncs() throws Exception {
        FileSpool spool = new FileSpool(dir, 0);
        int sessions = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<QueueId> committed = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                byte[] content = ("message " + i + "\r\n").repeat(100).getBytes(StandardCharsets.US_ASCII);
                fs.add(ex.submit(() -> {
                    try (SpoolWriter w = spool.create(TestEnvelopes.simple("rcpt"), content.length)) {
                        w.write(content, 0, content.length);
                        start.await(); // all sessions reach commit together
                        w.commit();
                        committed.add(w.id());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) f.get();
        }
        assertThat(committed).hasSize(sessions);
        assertThat(spool.list()).containsExactlyInAnyOrderElementsOf(committed);
        for (QueueId id : committed) assertThat(spool.read(id).content()).startsWith("message ".getBytes(StandardCharsets.US_ASCII));
        assertThat(spool.commitCount()).isEqualTo(sessions);
        System.out.printf("%d concurrent commits took %d directory fsyncs%n", sessions, spool.directorySyncCount());
        assertThat(spool.directorySyncCount()).isPositive().isLessThan(sessions);
    }

    static QueueId commit(Spool spool, Envelope envelope, byte[] content) throws IOException {
        try (SpoolWriter w = spool.create(envelope, content.length)) {
            w.write(content, 0, content.length);
            w.commit();
            return w.id();
        }
    }
}
