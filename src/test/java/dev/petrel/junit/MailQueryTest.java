package dev.petrel.junit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static dev.petrel.junit.MailQueries.anyMessage;
import static dev.petrel.junit.MailQueries.from;
import static dev.petrel.junit.MailQueries.hasAttachment;
import static dev.petrel.junit.MailQueries.header;
import static dev.petrel.junit.MailQueries.subject;
import static dev.petrel.junit.MailQueries.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How queries are written into the inbox's search language, and the exact-address check on candidates. */
class MailQueryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void termsAreQuotedAndCombinedWithSpaces() {
        MailQuery q = to("bob@example.com").from("Shop <shop@example.com>").subject("Say \"hi\"").header("X-Campaign", "spring sale")
                .hasAttachment();
        assertThat(q.render()).isEqualTo("to:\"bob\" to:\"@example.com\" from:\"Shop <shop@example.com>\" subject:\"Say \\\"hi\\\"\" "
                + "header:\"X-Campaign=spring sale\" has:attachment");
        assertThat(q).hasToString("to(\"bob@example.com\").from(\"Shop <shop@example.com>\").subject(\"Say \"hi\"\")"
                + ".header(\"X-Campaign\", \"spring sale\").hasAttachment()");
        assertThat(to("example.com").render()).isEqualTo("to:\"example.com\"");
        assertThat(from("a@b").subject("x").render()).isEqualTo("from:\"a@b\" subject:\"x\"");
        assertThat(hasAttachment().render()).isEqualTo("has:attachment");
        assertThat(anyMessage().render()).isEmpty();
        assertThat(anyMessage()).hasToString("any message");
    }

    @Test
    void backslashesSurviveTheQueryLanguage() {
        assertThat(subject("a\\\"b").render()).isEqualTo("subject:\"a\\\\\"b\""); // a\"b: the \ stays, the " is escaped
        assertThat(subject("C:\\temp\\").render()).isEqualTo("subject:C:\\temp\\"); // unquoted: a closing \" would escape the quote
        assertThatThrownBy(() -> subject("two words\\")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends in a backslash and contains a space or a double quote");
    }

    @Test
    void emptyValuesAndBadHeaderNamesAreRefused() {
        assertThatThrownBy(() -> subject(" ")).isInstanceOf(IllegalArgumentException.class).hasMessage("subject must not be empty");
        assertThatThrownBy(() -> to(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> header("X-Bad:Name", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'X-Bad:Name' is not a header field name (printable ASCII without ':' or '=')");
        assertThatThrownBy(() -> header("X-A=b", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWholeAddressMatchesExactlyIgnoringCaseAndAPlusTag() throws Exception {
        MailQuery q = to("bob@example.com");
        assertThat(q.accepts(summaryTo("BOB@Example.COM"))).isTrue();
        assertThat(q.accepts(summaryTo("bob+signup-1@example.com"))).isTrue();
        assertThat(q.accepts(summaryTo("jbob@example.com"))).isFalse();
        assertThat(q.accepts(summaryTo("bob@example.com.evil"))).isFalse();
        assertThat(q.accepts(summaryTo("bobby+x@example.com"))).isFalse();
        assertThat(q.accepts(summaryTo("carol@example.com", "bob+t@example.com"))).isTrue();
        assertThat(to("bob+a@example.com").accepts(summaryTo("bob+a+b@example.com"))).as("a tagged query matches only that tag").isFalse();
        assertThat(to("example.com").accepts(summaryTo("anyone@example.com"))).as("not an address: left to the server").isTrue();
    }

    @Test
    void tagsAreSafeInboxNamesMadeFromTheTestName() {
        assertThat(PetrelInbox.newTag("sendsWelcomeMail_toNewUsers()")).matches("sendswelcomemail-[0-9a-z]{8}");
        assertThat(PetrelInbox.newTag("ünïcödé")).matches("ncd-[0-9a-z]{8}");
        assertThat(PetrelInbox.newTag("__")).matches("test-[0-9a-z]{8}");
        assertThat(PetrelInbox.newTag("same")).isNotEqualTo(PetrelInbox.newTag("same"));
    }

    private static com.fasterxml.jackson.databind.JsonNode summaryTo(String... addresses) throws Exception {
        StringBuilder sb = new StringBuilder("{\"ID\":\"X\",\"To\":[");
        for (int i = 0; i < addresses.length; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"Name\":\"\",\"Address\":\"").append(addresses[i]).append("\"}");
        }
        return JSON.readTree(sb.append("]}").toString());
    }
}
