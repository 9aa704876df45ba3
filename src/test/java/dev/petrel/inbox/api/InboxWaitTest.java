package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.inbox.MessageSummary;
import dev.petrel.inbox.TestMail;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.petrel.inbox.api.ApiClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

class InboxWaitTest extends RunningInbox {
    @Test
    void aMatchArrivingDuringTheWaitAnswersAtOnceAndOtherInboxesDoNotWakeIt() throws Exception {
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> waiting =
                api.getAsync("/api/v1/wait?query=" + encode("inbox:a to:bob@example.org") + "&timeout=20s");
        Thread.sleep(300); // let the request reach the server; the wait must not depend on this

        store.store(TestMail.mail().subject("other inbox").captured("b"));
        store.store(TestMail.mail().subject("other recipient").to("carol@example.org").captured("a"));
        assertThat(waiting).isNotDone();
        MessageSummary match = store.store(TestMail.mail().subject("the one").captured("a"));

        HttpResponse<String> response = waiting.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = ApiClient.parse(response.body());
        assertThat(body.path("ID").asText()).isEqualTo(match.id());
        assertThat(body.path("Subject").asText()).isEqualTo("the one");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMatchAlreadyStoredAfterTheCursorAnswersImmediately() throws Exception {
        MessageSummary first = store.store(TestMail.mail().subject("first").captured("a"));
        MessageSummary second = store.store(TestMail.mail().subject("second").captured("a"));
        store.store(TestMail.mail().subject("third").to("carol@example.org").captured("a"));

        JsonNode fromStart = api.getJson("/api/v1/wait?query=" + encode("to:bob") + "&timeout=5s");
        assertThat(fromStart.path("ID").asText()).as("without a cursor: the oldest match").isEqualTo(first.id());
        JsonNode afterFirst = api.getJson("/api/v1/wait?query=" + encode("to:bob") + "&after=" + first.id() + "&timeout=5s");
        assertThat(afterFirst.path("ID").asText()).isEqualTo(second.id());

        HttpResponse<String> afterSecond = api.get("/api/v1/wait?query=" + encode("to:bob") + "&after=" + second.id() + "&timeout=200ms");
        assertThat(afterSecond.statusCode()).as("nothing matching after the second").isEqualTo(408);
    }

    @Test
    void theCursorStillWorksAfterItsMessageWasDeleted() throws Exception {
        MessageSummary first = store.store(TestMail.mail().subject("first").captured("a"));
        MessageSummary second = store.store(TestMail.mail().subject("second").captured("a"));
        store.delete(java.util.List.of(first.id()));

        JsonNode next = api.getJson("/api/v1/wait?after=" + first.id() + "&timeout=2s");
        assertThat(next.path("ID").asText()).isEqualTo(second.id());
    }

    @Test
    void noMatchWithinTheTimeoutAnswers408WithAClearBody() throws Exception {
        store.store(TestMail.mail().captured("a"));
        long started = System.nanoTime();

        HttpResponse<String> response = api.get("/api/v1/wait?query=" + encode("to:nobody@example.org") + "&timeout=400ms");

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.statusCode()).isEqualTo(408);
        assertThat(response.body()).isEqualTo("no message matching 'to:nobody@example.org' arrived within 400ms");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void afterNowIgnoresWhatIsAlreadyThere() throws Exception {
        store.store(TestMail.mail().subject("old").captured("a"));

        HttpResponse<String> none = api.get("/api/v1/wait?after=now&timeout=300ms");
        assertThat(none.statusCode()).isEqualTo(408);

        CompletableFuture<HttpResponse<String>> waiting = api.getAsync("/api/v1/wait?after=now&timeout=20s");
        Thread.sleep(300);
        MessageSummary fresh = store.store(TestMail.mail().subject("new").captured("a"));
        HttpResponse<String> response = waiting.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ApiClient.parse(response.body()).path("ID").asText()).isEqualTo(fresh.id());
    }

    @Test
    void badParametersAreRefused() throws Exception {
        assertThat(api.get("/api/v1/wait?timeout=10h").body()).isEqualTo("timeout=10h is not a duration; write 500ms, 10s, 2m or a number of seconds");
        assertThat(api.get("/api/v1/wait?timeout=6m").body())
                .isEqualTo("timeout=6m is longer than the maximum of 5m; wait again after a timeout instead");
        assertThat(api.get("/api/v1/wait?after=yesterday").body())
                .isEqualTo("after=yesterday is not a message ID; give the ID of the last message you saw, or after=now");
        HttpResponse<String> badQuery = api.get("/api/v1/wait?query=" + encode("has:pictures"));
        assertThat(badQuery.statusCode()).isEqualTo(400);
        assertThat(badQuery.body()).isEqualTo("invalid search query: has:pictures is not known; use has:attachment or has:inline");
    }
}
