package dev.petrel.inbox.search;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParserTest {
    private static List<Clause> parse(String text) throws QuerySyntaxException {
        return SearchQuery.parse(text).clauses();
    }

    @Test
    void readsEveryOperatorLowercasingValuesExceptTheInboxName() throws Exception {
        assertThat(parse("from:Alice@Example.com to:bob cc:carol bcc:dave reply-to:erin subject:Welcome message-id:m1@x "
                + "rcpt:bob@example.org mailfrom:bounce@x tag:Urgent inbox:Signup-Test has:attachment has:inline "
                + "is:read is:unread larger:2k smaller:1.5mb header:X-Mailer=PHPMailer header:List-Id"))
                .containsExactly(
                        new Clause(new Term.Field(Term.FieldName.FROM, "alice@example.com"), false),
                        new Clause(new Term.Field(Term.FieldName.TO, "bob"), false),
                        new Clause(new Term.Field(Term.FieldName.CC, "carol"), false),
                        new Clause(new Term.Field(Term.FieldName.BCC, "dave"), false),
                        new Clause(new Term.Field(Term.FieldName.REPLY_TO, "erin"), false),
                        new Clause(new Term.Field(Term.FieldName.SUBJECT, "welcome"), false),
                        new Clause(new Term.Field(Term.FieldName.MESSAGE_ID, "m1@x"), false),
                        new Clause(new Term.Field(Term.FieldName.RCPT, "bob@example.org"), false),
                        new Clause(new Term.Field(Term.FieldName.MAIL_FROM, "bounce@x"), false),
                        new Clause(new Term.Tag("urgent"), false),
                        new Clause(new Term.Inbox("Signup-Test"), false),
                        new Clause(new Term.Has(Term.Feature.ATTACHMENT), false),
                        new Clause(new Term.Has(Term.Feature.INLINE), false),
                        new Clause(new Term.Read(true), false),
                        new Clause(new Term.Read(false), false),
                        new Clause(new Term.Size(true, 2048), false),
                        new Clause(new Term.Size(false, 1572864), false),
                        new Clause(new Term.Header("x-mailer", "phpmailer"), false),
                        new Clause(new Term.Header("list-id", null), false));
    }

    @Test
    void quotedPhrasesNegationAndFreeText() throws Exception {
        assertThat(parse("\"your code\" -from:spam@x !is:read subject:\"two words\" -\"not this\" plain 12:30"))
                .containsExactly(
                        new Clause(new Term.Text("your code"), false),
                        new Clause(new Term.Field(Term.FieldName.FROM, "spam@x"), true),
                        new Clause(new Term.Read(true), true),
                        new Clause(new Term.Field(Term.FieldName.SUBJECT, "two words"), false),
                        new Clause(new Term.Text("not this"), true),
                        new Clause(new Term.Text("plain"), false),
                        new Clause(new Term.Text("12:30"), false));
    }

    @Test
    void datesAreDaysInTheGivenZoneOrExactInstants() throws Exception {
        assertThat(parse("after:2026-01-31 before:2026-02-01T12:30:00Z after:2026-02-01T14:00+02:00"))
                .containsExactly(
                        new Clause(new Term.ReceivedAfter(Instant.parse("2026-01-31T00:00:00Z")), false),
                        new Clause(new Term.ReceivedBefore(Instant.parse("2026-02-01T12:30:00Z")), false),
                        new Clause(new Term.ReceivedAfter(Instant.parse("2026-02-01T12:00:00Z")), false));
        assertThat(SearchQuery.parse("before:2026-01-31", ZoneId.of("Europe/Berlin")).clauses())
                .containsExactly(new Clause(new Term.ReceivedBefore(Instant.parse("2026-01-30T23:00:00Z")), false));
    }

    @Test
    void malformedQueriesFailWithAMessageThatSaysWhatToWrite() {
        assertThatThrownBy(() -> parse("subject:\"open")).hasMessage("the quote at position 9 is not closed; add a closing \"");
        assertThatThrownBy(() -> parse("form:bob")).hasMessageStartingWith("unknown search operator 'form:'; known operators are from, to,")
                .hasMessageEndingWith("quote it: \"form:bob\"");
        assertThatThrownBy(() -> parse("from:")).hasMessage("from: needs a value, e.g. from:alice@example.com");
        assertThatThrownBy(() -> parse("has:pictures")).hasMessage("has:pictures is not known; use has:attachment or has:inline");
        assertThatThrownBy(() -> parse("is:starred")).hasMessage("is:starred is not known; use is:read or is:unread");
        assertThatThrownBy(() -> parse("after:yesterday")).hasMessageStartingWith("after:yesterday is not a date; write a date as 2026-01-31");
        assertThatThrownBy(() -> parse("larger:big")).hasMessageStartingWith("larger:big is not a size");
        assertThatThrownBy(() -> parse("header:X-Foo=")).hasMessage(
                "header:X-Foo= needs a value after '='; write header:X-Foo to ask only that the field is present");
        assertThatThrownBy(() -> parse("header:=x")).hasMessageStartingWith("header: needs a field name");
        assertThatThrownBy(() -> parse("a - b")).hasMessage("'-' at position 3 must be followed by a term to exclude, e.g. -from:bob@example.com");
        assertThatThrownBy(() -> parse("\"\"")).hasMessageStartingWith("empty phrase");
    }

    @Test
    void anEmptyQueryHasNoClauses() throws Exception {
        assertThat(SearchQuery.parse("   ").isEmpty()).isTrue();
    }
}
