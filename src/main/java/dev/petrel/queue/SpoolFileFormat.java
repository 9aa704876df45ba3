package dev.petrel.queue;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The layout of one message file: the line {@code PETREL1}, the envelope as one line of JSON
 * ({@link EnvelopeCodec}), then the content bytes exactly as received, to the end of the file.
 *
 * <p>One file holds everything about the message so that one fsync makes it durable. Delivery
 * progress is deliberately not kept here: the file is never rewritten after commit, and later
 * per-recipient records go into a separate append-only file beside it.
 */
final class SpoolFileFormat {
    static final byte[] MAGIC = "PETREL1\n".getBytes(StandardCharsets.US_ASCII);

    private SpoolFileFormat() {}

    /** Everything that precedes the content. */
    static byte[] header(Envelope envelope) {
        byte[] json = EnvelopeCodec.encode(envelope);
        byte[] out = new byte[MAGIC.length + json.length + 1];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        System.arraycopy(json, 0, out, MAGIC.length, json.length);
        out[out.length - 1] = '\n';
        return out;
    }

    /**
     * Parses a whole message file.
     *
     * @throws IOException naming {@code file} when the bytes are not a valid message
     */
    static SpooledMessage parse(QueueId id, Path file, byte[] bytes) throws IOException {
        if (!startsWithMagic(bytes)) {
            throw corrupt(file, "it does not start with " + new String(MAGIC, 0, MAGIC.length - 1, StandardCharsets.US_ASCII), null);
        }
        int eol = indexOf(bytes, (byte) '\n', MAGIC.length);
        if (eol < 0) throw corrupt(file, "the envelope line is not terminated", null);
        Envelope envelope;
        try {
            envelope = EnvelopeCodec.decode(bytes, MAGIC.length, eol - MAGIC.length);
        } catch (IOException e) {
            throw corrupt(file, e.getMessage(), e);
        }
        byte[] content = new byte[bytes.length - eol - 1];
        System.arraycopy(bytes, eol + 1, content, 0, content.length);
        return new SpooledMessage(id, envelope, content);
    }

    private static boolean startsWithMagic(byte[] bytes) {
        if (bytes.length < MAGIC.length) return false;
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) return false;
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) return i;
        }
        return -1;
    }

    private static IOException corrupt(Path file, String why, Throwable cause) {
        return new IOException("corrupt spool file " + file + ": " + why
                + "; move it out of the queue directory and inspect it", cause);
    }
}
