package dev.petrel.policy;

import dev.petrel.message.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderAddressesTest {
    private static List<String> list(String value) {
        return HeaderAddresses.addressList(value).stream().map(MailAddress::toString).toList();
    }

    private static List<String> from(String headers) {
        return HeaderAddresses.from(headers.getBytes(StandardCharsets.UTF_8)).stream().map(MailAddress::toString).toList();
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
    void quotedLocalPartsAndLiterals() {
        assertThat(list(" \"john doe\"@example.com")).containsExactly("\"john doe\"@example.com");
        assertThat(list(" \"a\".b@example.com")).containsExactly("\"a\".b@example.com");
        assertThat(list(" x@[192.0.2.1]")).containsExactly("x@[192.0.2.1]");
        assertThat(list(" ünï@exämple.test")).containsExactly("ünï@exämple.test");
    }

    @ParameterizedTest
    @ValueSource(strings = {" alice", " Alice alice@example.com", " <alice@example.com", " alice@example.com>",
            " a@b c@d", " (unclosed", " \"unclosed", " <>", " a..b@x.test", " a@x..test", " a@", " @x.test",
            " g: a@x.test", " g: a@x.test b@x.test;", " a\\b@x.test", " a@x.test; b@x.test",
            " =?utf-8?q?boss@example.com?= <alice@example.com>"})
    void whatIsNotClearlyAnAddressListIsRefused(String value) {
        assertThatThrownBy(() -> HeaderAddresses.addressList(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromFieldsAreFoundUnfoldedAndCaseInsensitively() {
        String headers = "Received: from x by y; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
                + "Resent-From: r@x.test\r\n"
                + "FROM: Alice\r\n <alice@example.com>,\r\n\tbob@example.com\r\n"
                + "Subject: from: boss@example.com\r\n"
                + "from : carol@example.com\r\n"
                + "\r\n"
                + "From: body@example.com\r\n";
        assertThat(from(headers)).containsExactly("alice@example.com", "bob@example.com", "carol@example.com");
        assertThat(from("Subject: x\n\nFrom: body@x.test\n")).isEmpty();
        assertThat(from("From: a@x.test\n")).containsExactly("a@x.test");
    }
}
