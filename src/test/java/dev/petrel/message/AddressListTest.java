package dev.petrel.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressListTest {
    private static List<String> list(String value) {
        return AddressList.parse(value).stream().map(MailAddress::toString).toList();
    }

    @Test
    void plainAndDisplayNames() {
        assertThat(list(" alice@example.com")).containsExactly("alice@example.com");
        assertThat(list(" Alice Smith <alice@example.com>")).containsExactly("alice@example.com");
        assertThat(list(" \"Smith, Alice <boss@example.com>\" <alice@example.com>")).containsExactly("alice@example.com");
        assertThat(list(" =?utf-8?q?boss=40example.com?= <alice@example.com>")).containsExactly("alice@example.com");
        assertThat(list(" <alice@example.com>")).containsExactly("alice@example.com");
    }

    @Test
    void commentsAreIgnoredEvenNestedAndInsideTheAddress() {
        assertThat(list(" alice@example.com (Alice (the (real) one) \\) boss@example.com)")).containsExactly("alice@example.com");
        assertThat(list(" (c) alice (x) @ (y) example.com")).containsExactly("alice@example.com");
        assertThat(list(" Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>")).containsExactly("pete@silly.test");
    }

    @Test
    void severalAddressesGroupsAndRoutes() {
        assertThat(list(" a@x.test, \"B\" <b@y.test> ,, c@z.test")).containsExactly("a@x.test", "b@y.test", "c@z.test");
        assertThat(list(" team: a@x.test, B <b@y.test>;, c@z.test")).containsExactly("a@x.test", "b@y.test", "c@z.test");
        assertThat(list(" undisclosed-recipients:;")).isEmpty();
        assertThat(list(" <@relay.test,@other.test:a@x.test>")).containsExactly("a@x.test");
        assertThat(list("")).isEmpty();
    }

    @Test
    void foldingLineBreaksAreWhiteSpace() {
        assertThat(list(" Alice\r\n <alice@example.com>,\r\n\tbob@example.com")).containsExactly("alice@example.com", "bob@example.com");
    }

    @Test
    void quotedLocalPartsAndLiterals() {
        assertThat(list(" \"john doe\"@example.com")).containsExactly("\"john doe\"@example.com");
        assertThat(list(" \"a\".b@example.com")).containsExactly("\"a\".b@example.com");
        assertThat(list(" x@[192.0.2.1]")).containsExactly("x@[192.0.2.1]");
        assertThat(list(" ünï@exämple.test")).containsExactly("ünï@exämple.test");
    }

    @Test
    void partsAreKeptAsWrittenNotLowerCased() {
        assertThat(AddressList.parse(" Alice <Alice.Smith@Mail.EXAMPLE.com>"))
                .containsExactly(new MailAddress("Alice.Smith", "Mail.EXAMPLE.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {" alice", " Alice alice@example.com", " <alice@example.com", " alice@example.com>",
            " a@b c@d", " (unclosed", " \"unclosed", " <>", " a..b@x.test", " a@x..test", " a@", " @x.test",
            " g: a@x.test", " g: a@x.test b@x.test;", " a\\b@x.test", " a@x.test; b@x.test",
            " =?utf-8?q?boss@example.com?= <alice@example.com>", " a@[192.0.2.1", " <@relay.test a@x.test>"})
    void whatIsNotClearlyAnAddressListIsRefused(String value) {
        assertThatThrownBy(() -> AddressList.parse(value)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The reason is shown to operators (DMARC permerror text), so it names what is wrong. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            " Alice alice@example.com|words before an address without '<'",
            " Alice <alice@example.com|expected '>'",
            " \"Alice <alice@example.com>|unclosed quoted string",
            " alice|words without an address",
            " alice@example..com|bad domain",
            " .alice@example.com|bad local part",
            " @example.com|unexpected '@'",
            " a@[192.0.2.1|unclosed domain literal",
            " (unclosed|unclosed comment",
            " g: a@x.test,|group without ';'",
            " a@x.test b@x.test|expected ',' between addresses",
            " <@relay.test a@x.test>|bad source route",
            " alice@|address ends too early",
    })
    void refusalsSayWhy(String value, String reason) {
        assertThatThrownBy(() -> AddressList.parse(value)).isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
    }
}
