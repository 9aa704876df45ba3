package dev.petrel.protocol;

import dev.petrel.protocol.ReplyParser.Done;
import dev.petrel.protocol.ReplyParser.Malformed;
import dev.petrel.protocol.ReplyParser.More;
import dev.petrel.protocol.ReplyParser.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ClientReplyParserTest {
    private final ReplyParser parser = new ReplyParser();

    private ClientReply parse(String... lines) {
        for (int i = 0; i < lines.length - 1; i++) assertThat(parser.feed(lines[i])).isInstanceOf(More.class);
        Step last = parser.feed(lines[lines.length - 1]);
        assertThat(last).isInstanceOf(Done.class);
        return ((Done) last).reply();
    }

    @Test
    void singleLineWithEnhancedCode() {
        ClientReply r = parse("250 2.1.0 Ok");
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.enhanced()).isEqualTo("2.1.0");
        assertThat(r.dsn()).isEqualTo("2.1.0");
        assertThat(r.verbatim()).isEqualTo("250 2.1.0 Ok");
        assertThat(r.isPositive()).isTrue();
    }

    @Test
    void multiLineKeepsEveryLineVerbatim() {
        ClientReply r = parse("550-5.1.1 The email account that you tried to reach does not exist.",
                "550-5.1.1 Please try", "550 5.1.1 https://support.example/  x");
        assertThat(r.code()).isEqualTo(550);
        assertThat(r.enhanced()).isEqualTo("5.1.1");
        assertThat(r.isPermanent()).isTrue();
        assertThat(r.lines()).hasSize(3);
        assertThat(r.verbatim()).isEqualTo("550-5.1.1 The email account that you tried to reach does not exist."
                + " 550-5.1.1 Please try 550 5.1.1 https://support.example/  x");
        assertThat(r.texts()).containsExactly("5.1.1 The email account that you tried to reach does not exist.",
                "5.1.1 Please try", "5.1.1 https://support.example/  x");
    }

    @Test
    void withoutEnhancedCodeTheDsnComesFromTheClass() {
        assertThat(parse("451 try later").dsn()).isEqualTo("4.0.0");
        assertThat(parse("554 no").enhanced()).isNull();
        assertThat(parse("220 mx.example ESMTP").dsn()).isEqualTo("2.0.0");
    }

    @Test
    void anEnhancedCodeOfTheWrongClassIsIgnored() {
        assertThat(parse("250 5.0.0 odd").enhanced()).isNull();
        assertThat(parse("450 4.2.1 busy").enhanced()).isEqualTo("4.2.1");
        assertThat(parse("450 4.2.1x").enhanced()).isNull();
    }

    @Test
    void aBareCodeEndsTheReply() {
        ClientReply r = parse("354");
        assertThat(r.code()).isEqualTo(354);
        assertThat(r.isIntermediate()).isTrue();
        assertThat(r.texts()).containsExactly("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "25", "abc def", "2x0 ok", "250_ok", "150 one hundred", "600 six", "-250 x"})
    void garbageIsMalformedNotAnException(String line) {
        assertThat(parser.feed(line)).isInstanceOf(Malformed.class);
        assertThat(parser.inProgress()).isFalse();
        assertThat(parse("250 ok").code()).isEqualTo(250);
    }

    @Test
    void aCodeChangeInsideAMultiLineReplyIsMalformed() {
        assertThat(parser.feed("250-mx.example")).isInstanceOf(More.class);
        Step s = parser.feed("550 oops");
        assertThat(s).isInstanceOf(Malformed.class);
        assertThat(((Malformed) s).reason()).contains("changed");
    }

    @Test
    void tooManyLinesIsMalformed() {
        Step last = null;
        for (int i = 0; i <= ReplyParser.MAX_LINES && !(last instanceof Malformed); i++) last = parser.feed("250-x");
        assertThat(last).isInstanceOf(Malformed.class);
    }

    @Test
    void randomInputNeverThrows() {
        Random random = new Random(42);
        String alphabet = "0123456789 -.245abc\u00e9\t";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(12);
            for (int i = 0; i < len; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            Step s = parser.feed(sb.toString());
            if (s instanceof Done d) assertThat(d.reply().lines()).isNotEmpty();
        }
        assertThat(parser.feed(null)).isInstanceOf(Malformed.class);
        assertThat(List.of(parse("250 fine").code())).containsExactly(250);
    }
}
