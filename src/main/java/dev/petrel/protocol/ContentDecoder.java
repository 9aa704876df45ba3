package dev.petrel.protocol;

/**
 * Turns the bytes of a DATA or BDAT transfer into message content, one call per network read.
 *
 * <p>DATA mode (RFC 5321 section 4.5.2): the message ends only at {@code CRLF . CRLF} (or
 * {@code . CRLF} as the very first line), and a leading dot is removed from every other line.
 * A line that ends in a bare LF or a bare CR never takes part in the end-of-data sequence, so
 * {@code LF . LF}, {@code CR . CR}, {@code LF . CRLF} and their kin cannot smuggle a second
 * message past a server that reads them differently (the SMTP smuggling class of attacks).
 *
 * <p>Bare line endings are replaced by CRLF in the content ("normalize", Postfix's default
 * meaning) and remembered, so that "reject" mode can refuse the message once it has ended. Lines
 * longer than 998 octets are remembered likewise. Content beyond {@code maxSize} is not passed to
 * the sink but the transfer is still read to its end, so the session stays in step.
 *
 * <p>BDAT mode (RFC 3030): no dot handling and no end marker; the session tells the decoder how
 * many octets belong to the chunk. Line endings are normalized the same way.
 */
public final class ContentDecoder {
    /** RFC 5322 section 2.1.1: at most 998 characters before the CRLF. */
    public static final int MAX_LINE = 998;

    /** Where decoded content goes. */
    public interface Sink {
        void write(byte[] bytes, int offset, int length) throws java.io.IOException;
    }

    private enum State { LINE_START, IN_LINE, CR_IN_LINE, DOT, DOT_CR }

    private final boolean dotStuffed;
    private final long maxSize;
    private final byte[] out = new byte[16 * 1024];
    private int outLength;
    private State state = State.LINE_START;
    private boolean previousEndedWithCrlf = true;
    private int lineLength;
    private long size;
    private boolean tooBig;
    private boolean bareLineEnding;
    private boolean longLine;

    private ContentDecoder(boolean dotStuffed, long maxSize) {
        this.dotStuffed = dotStuffed;
        this.maxSize = maxSize;
    }

    public static ContentDecoder forData(long maxSize) {
        return new ContentDecoder(true, maxSize);
    }

    public static ContentDecoder forBdat(long maxSize) {
        return new ContentDecoder(false, maxSize);
    }

    /**
     * Decodes {@code length} bytes. In DATA mode, returns the number of bytes consumed when the
     * end-of-data line was found in them (the rest belongs to the next command), or -1 when more
     * input is needed. In BDAT mode always returns -1; call {@link #finishChunk} at the end of the
     * last chunk.
     */
    public int decode(byte[] in, int offset, int length, Sink sink) throws java.io.IOException {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = in[i];
            switch (state) {
                case LINE_START -> {
                    if (dotStuffed && b == '.') {
                        state = State.DOT;
                    } else {
                        inLine(b);
                    }
                }
                case IN_LINE -> {
                    // Most bytes are ordinary: copy the run up to the next CR or LF in one go.
                    int run = ordinaryRun(in, i, end);
                    if (run > 1) {
                        appendRun(in, i, run, sink);
                        i += run - 1;
                    } else {
                        inLine(b);
                    }
                }
                case CR_IN_LINE -> {
                    if (b == '\n') {
                        endLine(true);
                    } else {
                        endLine(false);
                        i--; // the byte starts the next line
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        state = State.DOT_CR;
                    } else {
                        state = State.IN_LINE; // the stuffed dot is dropped
                        inLine(b);
                    }
                }
                case DOT_CR -> {
                    if (b == '\n' && previousEndedWithCrlf) {
                        flush(sink);
                        return i + 1 - offset;
                    }
                    if (b == '\n') {
                        endLine(true);
                    } else {
                        endLine(false); // ". CR x": the dot line ended in a bare CR
                        i--;
                    }
                }
            }
            // A line end writes two bytes: keep room for both.
            if (outLength >= out.length - 1) flush(sink);
        }
        flush(sink);
        return -1;
    }

    /** Ends a BDAT LAST transfer: a CR left pending at the very end is a bare CR. */
    public void finishChunk(Sink sink) throws java.io.IOException {
        if (state == State.CR_IN_LINE) endLine(false);
        flush(sink);
    }

    private void inLine(byte b) {
        if (b == '\r') {
            state = State.CR_IN_LINE;
        } else if (b == '\n') {
            endLine(false);
        } else {
            state = State.IN_LINE;
            lineLength++;
            if (lineLength > MAX_LINE) longLine = true;
            emit(b);
        }
    }

    private void endLine(boolean crlf) {
        if (!crlf) bareLineEnding = true;
        previousEndedWithCrlf = crlf;
        lineLength = 0;
        state = State.LINE_START;
        emit((byte) '\r');
        emit((byte) '\n');
    }

    /** How many bytes from {@code from} are neither CR nor LF. */
    private static int ordinaryRun(byte[] in, int from, int end) {
        int j = from;
        while (j < end && in[j] != '\r' && in[j] != '\n') j++;
        return j - from;
    }

    /** {@link #inLine} for {@code run} ordinary bytes at once: same counting, same size limit. */
    private void appendRun(byte[] in, int from, int run, Sink sink) throws java.io.IOException {
        state = State.IN_LINE;
        lineLength += run;
        if (lineLength > MAX_LINE) longLine = true;
        int keep = (int) Math.max(0, Math.min(run, maxSize - size)); // emit() keeps a byte while size stays <= maxSize
        size += run;
        if (size > maxSize) tooBig = true;
        int copied = 0;
        while (copied < keep) {
            if (outLength == out.length) flush(sink);
            int n = Math.min(keep - copied, out.length - outLength);
            System.arraycopy(in, from + copied, out, outLength, n);
            outLength += n;
            copied += n;
        }
    }

    private void emit(byte b) {
        size++;
        if (size > maxSize) {
            tooBig = true;
            return;
        }
        out[outLength++] = b;
    }

    private void flush(Sink sink) throws java.io.IOException {
        if (outLength > 0) {
            sink.write(out, 0, outLength);
            outLength = 0;
        }
    }

    /** Octets of decoded content, counted even past the limit. */
    public long size() {
        return size;
    }

    public boolean tooBig() {
        return tooBig;
    }

    public boolean sawBareLineEnding() {
        return bareLineEnding;
    }

    public boolean sawLongLine() {
        return longLine;
    }
}
