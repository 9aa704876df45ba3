package dev.petrel.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ClientDotStufferTest {
    private static String stuff(String content) {
        return new String(DotStuffer.encode(content.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void linesStartingWithADotAreDoubled() {
        assertThat(stuff("a\r\n.b\r\n.\r\n..c\r\nd.e\r\n")).isEqualTo("a\r\n..b\r\n..\r\n...c\r\nd.e\r\n.\r\n");
        assertThat(stuff(".first\r\n")).isEqualTo("..first\r\n.\r\n");
    }

    @Test
    void contentWithoutAFinalLineBreakGetsCrlfBeforeTheDot() {
        assertThat(stuff("no newline")).isEqualTo("no newline\r\n.\r\n");
        assertThat(stuff(".")).isEqualTo("..\r\n.\r\n");
        assertThat(stuff("")).isEqualTo(".\r\n");
    }

    @Test
    void bareCrAndLfBecomeCrlf() {
        assertThat(stuff("a\nb\rc\r\r\nd\n.e")).isEqualTo("a\r\nb\r\nc\r\n\r\nd\r\n..e\r\n.\r\n");
        assertThat(stuff("x\r")).isEqualTo("x\r\n.\r\n");
        // The smuggling sequence <LF>.<CR><LF> must not survive as an end-of-data marker.
        assertThat(stuff("a\n.\r\nMAIL FROM:<x@y>\r\n")).isEqualTo("a\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n");
    }

    @Test
    void randomContentNeverEmitsAStrayCrOrLfNorAnEarlyTerminator() {
        Random random = new Random(7);
        byte[] alphabet = {'a', '.', '\r', '\n', ' '};
        for (int n = 0; n < 5_000; n++) {
            byte[] content = new byte[random.nextInt(30)];
            for (int i = 0; i < content.length; i++) content[i] = alphabet[random.nextInt(alphabet.length)];
            String out = new String(DotStuffer.encode(content), StandardCharsets.ISO_8859_1);
            assertThat(out).endsWith("\r\n.\r\n".substring(out.length() == 3 ? 2 : 0));
            assertThat(out.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
            String body = out.substring(0, out.length() - 3);
            assertThat(("\r\n" + body)).doesNotContain("\r\n.\r\n");
            for (String line : body.split("\r\n", -1)) {
                if (line.startsWith(".")) assertThat(line).startsWith("..");
            }
        }
    }
}
