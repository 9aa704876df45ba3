package dev.petrel.server;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;
import dev.petrel.protocol.ReceivedHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Keeps a message whose recipients are all captured: buffered while it arrives (bounded by the
 * session's size limit), stored in the test inbox on commit, durably, before the 250. Its id is a
 * queue id made for the Received: header and the logs; nothing is written to the spool. Not
 * thread-safe: one per message.
 */
final class CaptureSink implements IntakeSink {
    private static final Logger log = LoggerFactory.getLogger("petrel.smtpd");

    private final String id = QueueId.generate(System.currentTimeMillis()).value();
    private final DirectCapture capture;
    private final java.util.function.Consumer<Envelope> onStored;
    private final ByteArrayOutputStream content = new ByteArrayOutputStream(8192);
    private Envelope envelope;

    /** @param onStored told of each message once it is stored (for the metrics) */
    CaptureSink(DirectCapture capture, Envelope envelope, java.util.function.Consumer<Envelope> onStored) {
        this.capture = capture;
        this.onStored = onStored;
        this.envelope = envelope;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Envelope envelope() {
        return envelope;
    }

    @Override
    public void quarantine(String reason) {
        // A test inbox holds nothing back: the mail is stored and the reason logged.
        envelope = envelope.withQuarantine(reason);
        log.info("{}: quarantine (captured anyway): {}", id, reason);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        content.write(bytes, offset, length);
    }

    @Override
    public void commit() throws IOException {
        String stored;
        try {
            stored = capture.store(envelope, content.toByteArray());
        } catch (RuntimeException e) {
            // A bug or a malformed message must not end the session: the client gets 451 4.3.0 and may retry.
            log.error("{}: capture failed: {}", id, e.toString(), e);
            throw new IOException("capture failed: " + e.getMessage(), e);
        }
        onStored.accept(envelope);
        log.info("{}: client={}, from=<{}>, size={}, nrcpt={}, {}", id, ReceivedHeader.addressLiteral(envelope.client()),
                envelope.senderText(), content.size(), envelope.recipients().size(), stored);
    }

    @Override
    public void abort() {
        content.reset();
    }
}
