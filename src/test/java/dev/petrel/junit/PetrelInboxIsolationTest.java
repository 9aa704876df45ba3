package dev.petrel.junit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static dev.petrel.junit.MailQueries.subject;
import static dev.petrel.junit.MailQueries.to;
import static dev.petrel.junit.TestMailer.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two tests share one server and send mail with the same subject; neither's await sees the other's
 * mail: not the earlier test's (it arrived before this test started), and not that of a test running
 * at the same time (it is in another inbox), even when that one arrives first.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PetrelInboxIsolationTest {
    @RegisterExtension
    static PetrelInbox inbox = PetrelInbox.inProcess();

    private static String firstTestsInbox;

    @Test
    @Order(1)
    void firstTestSendsAndFindsItsMessage() throws Exception {
        String bob = inbox.address("bob@example.com");
        TestMailer.sendMx(inbox.smtpPort(), "app@example.com", bob, message("app@example.com", bob, "Password reset", "first test"));
        inbox.await(subject("Password reset")).hasTextContaining("first test");
        firstTestsInbox = inbox.name();
    }

    @Test
    @Order(2)
    void secondTestSeesNeitherTheEarlierTestsMailNorAConcurrentOnes() throws Exception {
        assertThat(firstTestsInbox).as("the first test ran").isNotNull();
        assertThat(inbox.name()).isNotEqualTo(firstTestsInbox);

        // The first test's message is in the store, but it came before this test started.
        assertThatThrownBy(() -> inbox.awaitInAnyInbox(subject("Password reset"), Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("No message matching subject(\"Password reset\") [query: subject:\"Password reset\"] arrived in any inbox")
                .hasMessageContaining("\n  - \"Password reset\" to bob+" + firstTestsInbox + "@example.com from app@example.com (");

        // Another test, running at the same time, gets its mail first ...
        String theirs = "bob+concurrent-test@example.com";
        TestMailer.sendMx(inbox.smtpPort(), "app@example.com", theirs, message("app@example.com", theirs, "Password reset", "other test"));
        inbox.awaitInAnyInbox(to(theirs)).hasTextContaining("other test");
        // ... then ours, put into our inbox by the header rather than the address.
        TestMailer.sendMx(inbox.smtpPort(), "app@example.com", "bob@example.com",
                message("app@example.com", "bob@example.com", "Password reset", "second test", inbox.headerLine()));

        inbox.await(to("bob@example.com").subject("Password reset")).hasTextContaining("second test").envelopeTo("bob@example.com");
    }
}
