package dev.petrel.policy;

import dev.petrel.message.MailAddress;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderAddressesTest {
    private static List<String> from(String headers) {
        return HeaderAddresses.from(headers.getBytes(StandardCharsets.UTF_8)).stream().map(MailAddress::toString).toList();
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

    @Test
    void aFromFieldThatIsNotAnAddressListIsRefused() {
        assertThatThrownBy(() -> from("Subject: x\r\nFrom: Alice alice@example.com\r\n\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("words before an address without '<'");
        assertThatThrownBy(() -> from("From: a@x.test\r\nFrom: Alice\r\n <alice@example.com\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expected '>'");
    }
}
