package dev.petrel.inbox;

import dev.petrel.inbox.search.SearchQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageWaitersTest {
    @TempDir
    Path dir;

    @Test
    void inProcessAwaitCompletesOnTheFirstMatchingStore() throws Exception {
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited())) {
            CompletableFuture<Optional<MessageSummary>> waiting =
                    store.await(SearchQuery.parse("subject:welcome"), store.newestId(), Duration.ofSeconds(20));
            store.store(TestMail.mail().subject("noise").captured("x"));
            MessageSummary match = store.store(TestMail.mail().subject("Welcome!").captured("x"));

            assertThat(waiting.get(10, TimeUnit.SECONDS)).contains(match);
        }
    }

    @Test
    void waitersAreBoundedAndAFinishedWaiterFreesItsPlace() throws Exception {
        try (InboxStore store = InboxStore.open(dir, Retention.unlimited());
             MessageWaiters waiters = new MessageWaiters(store, 2)) {
            store.subscribe(waiters);
            SearchQuery query = SearchQuery.parse("subject:wanted");
            List<CompletableFuture<Optional<MessageSummary>>> waiting = new ArrayList<>();
            waiting.add(waiters.await(query, null, Duration.ofSeconds(20)));
            waiting.add(waiters.await(query, null, Duration.ofSeconds(20)));

            assertThatThrownBy(() -> waiters.await(query, null, Duration.ofSeconds(20)))
                    .isInstanceOf(TooManyWaitersException.class)
                    .hasMessage("2 wait-for calls are already waiting; retry when some have finished");

            MessageSummary match = store.store(TestMail.mail().subject("wanted").captured("x"));
            for (CompletableFuture<Optional<MessageSummary>> w : waiting) assertThat(w.get(10, TimeUnit.SECONDS)).contains(match);
            CompletableFuture<Optional<MessageSummary>> again = waiters.await(query, match.id(), Duration.ofMillis(100));
            assertThat(again.get(10, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void closingTheStoreEndsWaitersAndRefusesWrites() throws Exception {
        InboxStore store = InboxStore.open(dir, Retention.unlimited());
        CompletableFuture<Optional<MessageSummary>> waiting = store.await(SearchQuery.ALL, null, Duration.ofMinutes(1));
        store.close();

        assertThat(waiting).failsWithin(Duration.ofSeconds(5));
        assertThatThrownBy(() -> store.store(TestMail.mail().captured("x")))
                .isInstanceOf(InboxStoreException.class).hasMessage("the inbox store is closed");
        assertThatThrownBy(() -> store.await(SearchQuery.ALL, null, Duration.ofSeconds(1)))
                .isInstanceOf(InboxStoreException.class).hasMessage("the inbox store is closed");
    }
}
