package dev.petrel.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DATA/BDAT decoder on its own: big inputs in one call (the server reads 8 KiB at a time; a
 * bigger caller must not break it), and the fast path for runs of ordinary bytes giving exactly
 * what byte-at-a-time decoding gives (one byte per call never takes the fast path).
 */
class ContentDecoderTest {
    private record Result(String content, int consumed, long size, boolean tooBig, boolean bare, boolean longLine) {}

    private static Result decode(boolean data, long maxSize, byte[] in, int chunk) throws Exception {
        ContentDecoder d = data ? ContentDecoder.forData(maxSize) : ContentDecoder.forBdat(maxSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int consumed = -1;
        for (int i = 0; i < in.length && consumed < 0; i += chunk) {
            int n = Math.min(chunk, in.length - i);
            int r = d.decode(in, i, n, out::write);
            if (r >= 0) consumed = i + r;
        }
        if (!data) d.finishChunk(out::write);
        return new Result(out.toString(StandardCharsets.ISO_8859_1), consumed, d.size(), d.tooBig(), d.sawBareLineEnding(),
                d.sawLongLine());
    }

    @Test
    void aLineEndingRightAtTheOutputBufferBoundaryIsKept() throws Exception {
        for (int n = 16370; n < 16400; n++) {
            byte[] in = ("x".repeat(n) + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII);
            Result r = decode(true, 10_000_000, in, in.length);
            assertThat(r.content()).as("n=%d", n).hasSize(n + 2).endsWith("x\r\n");
            assertThat(r.consumed()).isEqualTo(in.length);
        }
        // Bare LFs double in size when normalized: 20,000 of them in one call.
        // (The end needs a CRLF line first: a dot after a bare LF never ends the data.)
        byte[] lfs = ("y\n".repeat(20_000) + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII);
        Result r = decode(true, 10_000_000, lfs, lfs.length);
        assertThat(r.content()).isEqualTo("y\r\n".repeat(20_000) + "\r\n");
        assertThat(r.consumed()).isEqualTo(lfs.length);
        assertThat(r.bare()).isTrue();
    }

    @Test
    void wholeBufferDecodingEqualsByteAtATimeDecoding() throws Exception {
        Random random = new Random(42);
        byte[] alphabet = {'x', 'y', '.', '.', '\r', '\n', '\r', ' ', (byte) 0xE9, 0};
        for (int round = 0; round < 400; round++) {
            byte[] in = new byte[random.nextInt(3000)];
            for (int i = 0; i < in.length; i++) {
                in[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('a' + random.nextInt(26));
            }
            if (random.nextBoolean()) { // sometimes a long line
                int at = random.nextInt(Math.max(1, in.length));
                for (int i = at; i < Math.min(in.length, at + 1200); i++) in[i] = 'z';
            }
            byte[] withEnd = new byte[in.length + 5];
            System.arraycopy(in, 0, withEnd, 0, in.length);
            System.arraycopy("\r\n.\r\n".getBytes(StandardCharsets.US_ASCII), 0, withEnd, in.length, 5);
            long max = random.nextBoolean() ? 10_000_000 : random.nextInt(2000);
            for (boolean data : new boolean[] {true, false}) {
                byte[] input = data ? withEnd : in;
                Result slow = decode(data, max, input, 1);
                Result fast = decode(data, max, input, input.length == 0 ? 1 : input.length);
                Result mixed = decode(data, max, input, 1 + random.nextInt(700));
                assertThat(fast).as("round %d, data=%s, whole buffer", round, data).isEqualTo(slow);
                assertThat(mixed).as("round %d, data=%s, random chunks", round, data).isEqualTo(slow);
            }
        }
    }
}
