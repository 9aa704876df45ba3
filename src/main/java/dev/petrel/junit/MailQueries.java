package dev.petrel.junit;

/**
 * The starting points of a {@link MailQuery}, for static import:
 * <pre>
 * import static dev.petrel.junit.MailQueries.*;
 * inbox.await(to("bob@example.com").subject("Welcome"));
 * </pre>
 * (They live apart from {@link MailQuery} because Java cannot have a static {@code to(String)} and
 * the fluent instance method {@code to(String)} in one class.)
 */
public final class MailQueries {
    private MailQueries() {}

    /** Any message (in this test's inbox, after the test started). */
    public static MailQuery anyMessage() {
        return MailQuery.ANY;
    }

    /** @see MailQuery#to */
    public static MailQuery to(String address) {
        return MailQuery.ANY.to(address);
    }

    /** @see MailQuery#from */
    public static MailQuery from(String address) {
        return MailQuery.ANY.from(address);
    }

    /** @see MailQuery#subject */
    public static MailQuery subject(String text) {
        return MailQuery.ANY.subject(text);
    }

    /** @see MailQuery#header */
    public static MailQuery header(String name, String value) {
        return MailQuery.ANY.header(name, value);
    }

    /** @see MailQuery#hasAttachment */
    public static MailQuery hasAttachment() {
        return MailQuery.ANY.hasAttachment();
    }
}
