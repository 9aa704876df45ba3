package dev.petrel.queue;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory twin of {@link FileSpool}, for tests of other packages and for capture mode
 * without persistence. Same contract, minus durability: uncommitted messages are never listed,
 * and an optional capacity makes {@link SpoolFullException} testable. Thread-safe.
 */
public final class MemorySpool implements Spool {
    private final ConcurrentSkipListMap<QueueId, SpooledMessage> messages = new ConcurrentSkipListMap<>();
    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final java.util.concurrent.ConcurrentHashMap<QueueId, List<String>> status = new java.util.concurrent.ConcurrentHashMap<>();

    /** A spool without a size limit. */
    public MemorySpool() {
        this(Long.MAX_VALUE);
    }

    /** A spool that refuses messages once {@code capacityBytes} of content are committed. */
    public MemorySpool(long capacityBytes) {
        if (capacityBytes < 0) throw new IllegalArgumentException("capacity must not be negative: " + capacityBytes);
        this.capacity = capacityBytes;
    }

    @Override
    public SpoolWriter create(Envelope envelope, long expectedSize) throws IOException {
        Objects.requireNonNull(envelope, "envelope");
        if (!hasRoomFor(expectedSize)) {
            throw new SpoolFullException("memory spool is full: " + used.get() + " of " + capacity + " octets used");
        }
        QueueId id;
        do {
            id = QueueId.generate(System.currentTimeMillis());
        } while (messages.containsKey(id));
        return new Writer(id, envelope);
    }

    @Override
    public boolean hasRoomFor(long size) {
        return capacity - used.get() >= Math.max(0, size);
    }

    @Override
    public List<QueueId> list() {
        return List.copyOf(messages.keySet());
    }

    @Override
    public SpooledMessage read(QueueId id) throws IOException {
        SpooledMessage m = messages.get(id);
        if (m == null) throw new NoSuchFileException("memory spool: no message " + id);
        // A copy, so that a caller cannot change what the next reader sees.
        return new SpooledMessage(m.id(), m.envelope(), m.content().clone());
    }

    @Override
    public void remove(QueueId id) {
        SpooledMessage m = messages.remove(id);
        status.remove(id);
        if (m != null) used.addAndGet(-m.content().length);
    }

    @Override
    public void appendStatus(QueueId id, List<String> records) {
        status.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).addAll(records);
    }

    @Override
    public List<String> readStatus(QueueId id) {
        return List.copyOf(status.getOrDefault(id, List.of()));
    }

    private final class Writer implements SpoolWriter {
        private final QueueId id;
        private Envelope envelope;
        private final ByteArrayOutputStream content = new ByteArrayOutputStream();
        private boolean done;

        Writer(QueueId id, Envelope envelope) {
            this.id = id;
            this.envelope = envelope;
        }

        @Override
        public QueueId id() {
            return id;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            requireOpen();
            content.write(bytes, offset, length);
        }

        @Override
        public void replaceEnvelope(Envelope replacement) {
            requireOpen();
            if (content.size() > 0) throw new IllegalStateException(id + ": content already written");
            envelope = replacement;
        }

        @Override
        public void commit() throws IOException {
            requireOpen();
            done = true;
            long size = content.size();
            if (used.addAndGet(size) > capacity) {
                used.addAndGet(-size);
                throw new SpoolFullException(id + ": memory spool is full");
            }
            messages.put(id, new SpooledMessage(id, envelope, content.toByteArray()));
        }

        @Override
        public void abort() {
            done = true;
        }

        @Override
        public long size() {
            return content.size();
        }

        @Override
        public void close() {
            abort();
        }

        private void requireOpen() {
            if (done) throw new IllegalStateException(id + ": spool writer is already finished");
        }
    }
}
