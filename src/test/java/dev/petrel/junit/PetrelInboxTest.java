package dev.petrel.junit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static dev.petrel.junit.MailQueries.anyMessage;
import static dev.petrel.junit.MailQueries.subject;
import static dev.petrel.junit.MailQueries.to;
import static dev.petrel.junit.TestMailer.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The extension used as an application's test would use it: Petrel in-process, mail sent over real
 * SMTP, then awaited and checked with the fluent API.
 */
@Timeout(120)
class PetrelInboxTest {
    @RegisterExtension
    static PetrelInbox inbox = PetrelInbox.inProcess();
    private static String serverUrl;

    @BeforeAll
    static void noteTheServer() {
        serverUrl = inbox.url();
    }

    private static final String[] INVOICE_HEADERS = {"MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"outer\""};
    private static final String INVOICE_BODY = """
            --outer
            Content-Type: multipart/alternative; boundary="inner"

            --inner
            Content-Type: text/plain; charset=utf-8

            Invoice 42 is attached.
            --inner
            Content-Type: text/html; charset=utf-8

            <p>Invoice <b>42</b> is attached.</p>
            --inner--
            --outer
            Content-Type: application/pdf; name="invoice-42.pdf"
            Content-Disposition: attachment; filename="invoice-42.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --outer--""";

    @Test
    void awaitReturnsTheMessageWithItsEnvelopeAndSession() throws Exception {
        // A user whose name is an address may send as that address (Petrel's default sender rule).
        inbox.addUser("noreply@example.com", "s3cret");
        String bob = inbox.address("bob@example.com");
        TestMailer.submit(inbox.submissionPort(), "noreply@example.com", "s3cret", "noreply@example.com", bob,
                message("Example <noreply@example.com>", bob, "Welcome aboard", "Your code is 123456."));

        CapturedMail mail = inbox.await(to("bob@example.com").subject("Welcome"))
                .hasSubject("Welcome aboard")
                .hasTextContaining("code is 123456")
                .envelopeFrom("noreply@example.com")
                .envelopeTo("bob@example.com")
                .envelopeTo(bob)
                .authenticatedAs("noreply@example.com")
                .usedTls();

        assertThat(mail.id()).matches("[0-9A-Z]{26}");
        assertThat(mail.text().strip()).isEqualTo("Your code is 123456.");
        assertThat(mail.html()).isEmpty();
        assertThat(mail.headers("subject")).containsExactly("Welcome aboard");
        assertThat(mail.raw()).contains("Subject: Welcome aboard\r\n").contains("\r\n\r\nYour code is 123456.\r\n");
        assertThat(mail.json().path("Envelope").path("Listener").asText()).isEqualTo("submission");
        assertThatThrownBy(() -> mail.authenticatedAs("bob")).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to be sent with SMTP AUTH as \"bob\", but the authenticated user was \"noreply@example.com\"");
    }

    @Test
    void awaitFailsAfterItsTimeoutSayingWhatTheInboxHolds() throws Exception {
        String bob = inbox.address("bob@example.com");
        TestMailer.sendMx(inbox.smtpPort(), "shop@example.com", bob, message("shop@example.com", bob, "Your receipt", "Thanks."));
        // Sent without the test's tag: it lands in the inbox "default".
        TestMailer.sendMx(inbox.smtpPort(), "shop@example.com", "carol@example.com",
                message("shop@example.com", "carol@example.com", "Welcome", "Hello Carol."));
        inbox.await(subject("receipt"));
        inbox.awaitInAnyInbox(to("carol@example.com"));

        long start = System.nanoTime();
        assertThatThrownBy(() -> inbox.await(subject("Welcome"), Duration.ofMillis(400)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("No message matching subject(\"Welcome\") [query: subject:\"Welcome\"] arrived in this test's inbox '"
                        + inbox.name() + "' within 400 ms (counting only mail stored after the test started).\n"
                        + "This test's inbox holds (newest first):\n  - \"Your receipt\" to " + bob + " from shop@example.com (")
                .hasMessageContaining("\nOther inboxes hold (newest first")
                .hasMessageContaining("\n  - \"Welcome\" to carol@example.com from shop@example.com in inbox 'default' (")
                .hasMessageEndingWith("Mail reaches this test's inbox when it is sent to inbox.address(\"user@example.com\") (user+"
                        + inbox.name() + "@example.com) or carries the header X-Petrel-Inbox: " + inbox.name() + ".");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(waitedMillis).as("the server's long poll waited the timeout, not the default 10 s").isBetween(400L, 5_000L);
    }

    @Test
    void eachAssertionFailsWhenItsConditionDoesNotHold() throws Exception {
        String bob = inbox.address("bob@example.com");
        TestMailer.sendMx(inbox.smtpPort(), "billing@example.com", bob, message("billing@example.com", bob, "Your invoice", INVOICE_BODY, INVOICE_HEADERS));

        CapturedMail mail = inbox.await(to("bob@example.com").hasAttachment())
                .hasSubject("Your invoice")
                .hasTextContaining("Invoice 42 is attached.")
                .hasHtmlContaining("<p>Invoice <b>42</b> is attached.</p>")
                .hasAttachment("invoice-42.pdf")
                .envelopeFrom("billing@EXAMPLE.com")
                .envelopeTo("bob@example.com");
        String expected = "Expected message " + mail.id() + " (subject \"Your invoice\", to " + bob + ") ";

        assertFails(() -> mail.hasSubject("Your Invoice"), expected + "to have subject \"Your Invoice\", but its subject is \"Your invoice\"");
        assertFails(() -> mail.hasTextContaining("refund"),
                expected + "to have a text body containing \"refund\", but its text body is:\n  | Invoice 42 is attached.");
        assertFails(() -> mail.hasHtmlContaining("<i>42</i>"),
                expected + "to have an HTML body containing \"<i>42</i>\", but its HTML body is:\n  | <p>Invoice <b>42</b> is attached.</p>");
        assertFails(() -> mail.hasAttachment("invoice-43.pdf"),
                expected + "to have an attachment named \"invoice-43.pdf\", but its attachments are [\"invoice-42.pdf\"]");
        assertFails(() -> mail.envelopeFrom("noreply@example.com"),
                expected + "to have envelope sender (MAIL FROM) <noreply@example.com>, but it was <billing@example.com>");
        assertFails(() -> mail.envelopeFrom("BILLING@example.com"),
                expected + "to have envelope sender (MAIL FROM) <BILLING@example.com>, but it was <billing@example.com>");
        assertFails(() -> mail.envelopeTo("bob@example.com", "carol@example.com"),
                expected + "to have envelope recipient (RCPT TO) <carol@example.com>, but its recipients are [<" + bob + ">]");
        assertFails(() -> mail.authenticatedAs("alice"),
                expected + "to be sent with SMTP AUTH as \"alice\", but it was sent without authentication");
        assertFails(mail::usedTls, expected + "to have been received over TLS, but it came in plaintext on listener 'smtp' from 127.0.0.1");
        assertFails(() -> mail.wasSignedBy("example.com"),
                expected + "to carry a DKIM signature of example.com that verifies, but its DKIM results are none and its "
                        + "Authentication-Results is absent");
    }

    @Test
    void toMatchesTheWholeAddressNotTextInsideAnother() throws Exception {
        String jbob = inbox.address("jbob@example.com");
        String bob = inbox.address("bob@example.com");
        TestMailer.sendMx(inbox.smtpPort(), "a@example.com", jbob, message("a@example.com", jbob, "for jbob", "1"));
        inbox.await(to("jbob@example.com")); // stored first, so the server offers it first to the next await
        TestMailer.sendMx(inbox.smtpPort(), "a@example.com", bob, message("a@example.com", bob, "for bob", "2"));

        inbox.await(to("bob@example.com")).hasSubject("for bob");
        inbox.await(to("BOB@Example.com")).hasSubject("for bob");
        inbox.await(to(bob)).hasSubject("for bob");
        inbox.await(to("@example.com")).hasSubject("for jbob"); // text, not an address: contains
    }

    @Test
    void queryValuesWithQuotesSpacesAndHeadersAreQuotedForTheServer() throws Exception {
        String bob = inbox.address("bob@example.com");
        TestMailer.sendMx(inbox.smtpPort(), "a@example.com", bob,
                message("a@example.com", bob, "Say \"hi\" to the team", "x", "X-Campaign: spring sale 2026"));
        TestMailer.sendMx(inbox.smtpPort(), "a@example.com", bob,
                message("a@example.com", bob, "Say hi to the team", "y", "X-Campaign: autumn sale"));

        inbox.await(subject("say \"HI\" to").header("X-Campaign", "spring sale")).hasTextContaining("x");
        inbox.await(subject("hi to the").header("x-campaign", "autumn")).hasTextContaining("y");
        assertThatThrownBy(() -> inbox.await(subject("Say \"hi\" to").header("X-Campaign", "autumn"), Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("No message matching subject(\"Say \"hi\" to\").header(\"X-Campaign\", \"autumn\")");
    }

    @Test
    void awaitAfterReturnsTheNextMatchingMessage() throws Exception {
        String bob = inbox.address("bob@example.com");
        TestMailer.sendMx(inbox.smtpPort(), "a@example.com", bob, message("a@example.com", bob, "Reminder", "first"));
        CapturedMail first = inbox.await(subject("Reminder")).hasTextContaining("first");
        TestMailer.sendMx(inbox.smtpPort(), "a@example.com", bob, message("a@example.com", bob, "Reminder", "second"));

        inbox.awaitAfter(first, subject("Reminder")).hasTextContaining("second");
        inbox.await(subject("Reminder")).hasTextContaining("first"); // await itself still counts from the test's start
    }

    @Test
    void clearDeletesThisTestsMessagesOnly() throws Exception {
        String bob = inbox.address("bob@example.com");
        String elsewhere = "dave+someone-else@example.com";
        TestMailer.sendMx(inbox.smtpPort(), "a@example.com", bob, message("a@example.com", bob, "one", "1"));
        TestMailer.sendMx(inbox.smtpPort(), "a@example.com", bob, message("a@example.com", bob, "two", "2"));
        TestMailer.sendMx(inbox.smtpPort(), "a@example.com", elsewhere, message("a@example.com", elsewhere, "three", "3"));
        inbox.await(subject("one"));
        inbox.await(subject("two"));
        inbox.awaitInAnyInbox(to(elsewhere));

        inbox.clear();

        assertThatThrownBy(() -> inbox.await(anyMessage(), Duration.ofMillis(300))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("\nThis test's inbox holds no messages.\n");
        inbox.awaitInAnyInbox(to(elsewhere)).hasSubject("three");
    }

    @Test
    void addressAndHeaderNameThisTestsInbox() {
        String name = inbox.name();
        assertThat(name).matches("addressandheader-[0-9a-z]{8}");
        assertThat(inbox.address("Bob.Smith@Example.com")).isEqualTo("Bob.Smith+" + name + "@Example.com");
        assertThat(inbox.headerLine()).isEqualTo("X-Petrel-Inbox: " + name);
        assertThatThrownBy(() -> inbox.address("bob+x@example.com")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has a plus tag already");
        assertThatThrownBy(() -> inbox.address("bob")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inbox.withTimeout(Duration.ofMinutes(6))).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertFails(Runnable assertion, String message) {
        assertThatThrownBy(assertion::run).isInstanceOf(AssertionError.class).hasMessage(message);
    }

    @Nested
    class InANestedClass {
        @Test
        void theOuterClassesServerIsSharedNotRestarted() throws Exception {
            assertThat(inbox.url()).isEqualTo(serverUrl);
            String bob = inbox.address("bob@example.com");
            TestMailer.sendMx(inbox.smtpPort(), "a@example.com", bob, message("a@example.com", bob, "nested", "n"));
            inbox.await(to("bob@example.com")).hasSubject("nested");
        }
    }
}
