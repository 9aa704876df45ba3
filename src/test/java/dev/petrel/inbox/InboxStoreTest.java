package dev.petrel.inbox;

import dev.petrel.inbox.search.SearchQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class InboxStoreTest {
    @TempDir
    Path dir;

    @Test
    void messagesSurviveARestartWithTheirFactsAndNewIdsSortAfterTheOldOnes() throws Exception {
        String firstId;
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited())) {
            SessionFacts facts = new SessionFacts("alice@example.com", List.of("bob@example.org", "hidden@example.net"), "alice",
                    "127.0.0.9", "client.example", "TLSv1.3", "TLS_AES_256_GCM_SHA384", "submission",
                    Instant.parse("2026-07-14T08:15:01Z"),
                    new AuthenticationFacts("mx.example; dkim=pass header.d=example.com", List.of("pass (d=example.com s=sel)"), "pass", "pass"));
            firstId = store.store(new CapturedMessage("signup", TestMail.mail().attachment("a.pdf").bytes(), facts, List.of("t1"))).id();
        }
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited())) {
            InboxMessage message = store.get(firstId).orElseThrow();
            assertThat(message.summary().inbox()).isEqualTo("signup");
            assertThat(message.summary().tags()).containsExactly("t1");
            assertThat(message.summary().bcc()).containsExactly(new MailboxAddress("", "hidden@example.net"));
            assertThat(message.parsed().attachments()).extracting(AttachmentInfo::fileName).containsExactly("a.pdf");
            assertThat(message.facts().tlsCipher()).isEqualTo("TLS_AES_256_GCM_SHA384");
            assertThat(message.facts().authentication().dkim()).containsExactly("pass (d=example.com s=sel)");
            assertThat(message.facts().receivedAt()).isEqualTo(Instant.parse("2026-07-14T08:15:01Z"));
            assertThat(store.raw(firstId)).hasValueSatisfying(raw -> assertThat(raw).isEqualTo(TestMail.mail().attachment("a.pdf").bytes()));

            String secondId = store.store(TestMail.mail().captured("signup")).id();
            assertThat(secondId).isGreaterThan(firstId);
            assertThat(store.list(0, 10).messages()).extracting(MessageSummary::id).containsExactly(secondId, firstId);
        }
    }

    @Test
    void idsFromOneStoreStrictlyIncreaseEvenWithinOneMillisecond() throws Exception {
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited())) {
            List<CompletableFuture<MessageSummary>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) futures.add(store.storeAsync(TestMail.mail().subject("n" + i).captured("x")));
            List<String> ids = futures.stream().map(CompletableFuture::join).map(MessageSummary::id).toList();
            List<String> sorted = new ArrayList<>(ids);
            Collections.sort(sorted);
            assertThat(ids).doesNotHaveDuplicates().isEqualTo(sorted).allSatisfy(id -> assertThat(InboxStore.isWellFormedId(id)).isTrue());
        }
    }

    @Test
    void retentionByCountKeepsTheNewestAndTellsListeners() throws Exception {
        List<InboxEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (InboxStore store = InboxStore.open(dir, Retention.maxMessages(3))) {
            store.subscribe(events::add);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) ids.add(store.store(TestMail.mail().subject("n" + i).captured("x")).id());

            MessagePage page = store.list(0, 10);
            assertThat(page.total()).isEqualTo(3);
            assertThat(page.messages()).extracting(MessageSummary::subject).containsExactly("n4", "n3", "n2");
            assertThat(store.raw(ids.get(0))).isEmpty();
            List<String> deleted = events.stream().filter(e -> e instanceof InboxEvent.Deleted)
                    .flatMap(e -> ((InboxEvent.Deleted) e).ids().stream()).toList();
            assertThat(deleted).containsExactly(ids.get(0), ids.get(1));
        }
    }

    @Test
    void retentionByAgeDropsMessagesReceivedLongerAgoThanTheMaximum() throws Exception {
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited().withMaxAge(Duration.ofHours(1)))) {
            Instant now = Instant.now();
            String old = store.store(new CapturedMessage("x", TestMail.mail().subject("old").bytes(),
                    SessionFacts.of("a@example.com", List.of("b@example.org"), now.minus(2, ChronoUnit.HOURS)))).id();
            String fresh = store.store(new CapturedMessage("x", TestMail.mail().subject("fresh").bytes(),
                    SessionFacts.of("a@example.com", List.of("b@example.org"), now.minus(10, ChronoUnit.MINUTES)))).id();
            store.applyRetention();

            assertThat(store.summary(old)).isEmpty();
            assertThat(store.summary(fresh)).isPresent();
            assertThat(store.list(0, 10).total()).isEqualTo(1);
        }
    }

    @Test
    void listenersHearStoredMessagesAfterTheCommit() throws Exception {
        List<InboxEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited())) {
            store.subscribe(event -> {
                // Stored events come after the commit: a read from another connection must already see the message.
                if (event instanceof InboxEvent.Stored stored) {
                    assertThat(store.summary(stored.messages().getFirst().id())).isPresent();
                }
                events.add(event);
            });
            MessageSummary stored = store.store(TestMail.mail().captured("x"));
            store.setRead(List.of(stored.id()), true);
            store.delete(List.of(stored.id(), "01ZZZZZZZZZZZZZZZZZZZZZZZZ"));

            assertThat(events).containsExactly(
                    new InboxEvent.Stored(List.of(stored)),
                    new InboxEvent.ReadChanged(List.of(stored.id()), true),
                    new InboxEvent.Deleted(List.of(stored.id())));
        }
    }

    @Test
    void manyConcurrentCapturesAreCommittedInGroups() throws Exception {
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited())) {
            byte[] raw = TestMail.mail().html("<p>hi</p>").attachment("a.pdf").bytes();
            int count = 2_000;
            long start = System.nanoTime();
            List<CompletableFuture<MessageSummary>> futures = new ArrayList<>();
            try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < count; i++) {
                    futures.add(CompletableFuture.supplyAsync(() -> store.store(new CapturedMessage("load", raw,
                            SessionFacts.of("a@example.com", List.of("b@example.org"), Instant.now()))), executor));
                }
                futures.forEach(CompletableFuture::join);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("inbox: stored %d messages in %.2f s (%.0f/s)%n", count, seconds, count / seconds);
            assertThat(store.search(SearchQuery.parse("inbox:load has:attachment"), 0, 1).matching()).isEqualTo(count);
        }
    }

    @Test
    void reopeningWithALowerLimitAppliesItAtOnce() throws Exception {
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited())) {
            for (int i = 0; i < 4; i++) store.store(TestMail.mail().subject("n" + i).captured("x"));
        }
        try (InboxStore store = InboxStore.open(dir, Retention.maxMessages(2))) {
            assertThat(store.list(0, 10).messages()).extracting(MessageSummary::subject).containsExactly("n3", "n2");
        }
    }

    @Test
    void aDatabaseFromANewerPetrelIsRefusedWithAClearMessage() throws Exception {
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited())) {
            store.store(TestMail.mail().captured("x"));
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("inbox.db"));
             var s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InboxStore.open(dir, Retention.unlimited()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("the inbox database has layout version 99 but this Petrel knows only up to 1");
    }

    @Test
    void writesQueuedDuringACommitShareTheNextCommit() throws Exception {
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited())) {
            long before = store.writer().commits();
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Object> busy = store.writer().mutate((connection, events) -> {
                // Holds the writer as a long fsync would, while captures queue up.
                try {
                    release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            List<CompletableFuture<MessageSummary>> queued = new ArrayList<>();
            for (int i = 0; i < 100; i++) queued.add(store.storeAsync(TestMail.mail().subject("q" + i).captured("x")));
            release.countDown();
            busy.join();
            queued.forEach(CompletableFuture::join);

            // The held write commits alone (or with the first few captures, if the writer took them with it); the rest share one.
            assertThat(store.writer().commits() - before).as("commits for 101 writes").isBetween(1L, 2L);
            assertThat(store.list(0, 1).total()).isEqualTo(100);
        }
    }

    @Test
    void idsCarryTheStoreTimeAndKeepIncreasingWhenTheClockGoesBackAcrossARestart() throws Exception {
        Instant now = Instant.parse("2026-07-14T08:15:00Z");
        String before;
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited(), java.time.Clock.fixed(now, java.time.ZoneOffset.UTC))) {
            before = store.store(TestMail.mail().captured("x")).id();
            assertThat(MessageIds.decodeTime(before)).isEqualTo(now.toEpochMilli());
        }
        Instant earlier = now.minus(1, ChronoUnit.HOURS);
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited(), java.time.Clock.fixed(earlier, java.time.ZoneOffset.UTC))) {
            String after = store.store(TestMail.mail().captured("x")).id();
            String next = store.store(TestMail.mail().captured("x")).id();
            assertThat(after).isGreaterThan(before);
            assertThat(next).isGreaterThan(after);
        }
    }
}
