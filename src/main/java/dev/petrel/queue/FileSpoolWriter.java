package dev.petrel.queue;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes one message into {@code tmp/<id>} and commits it: flush, fsync the file, rename into
 * {@code queue/<id>}, fsync the directory (shared with concurrent commits). Content is gathered
 * in a 64 KiB buffer so that the many small writes of a DATA stream cost few system calls.
 * Any failure removes the message from both directories before the exception leaves.
 */
final class FileSpoolWriter implements SpoolWriter {
    private static final Logger log = LoggerFactory.getLogger(FileSpoolWriter.class);
    private static final int BUFFER_SIZE = 64 * 1024;

    private enum State { OPEN, COMMITTED, ABORTED }

    private final FileSpool spool;
    private final QueueId id;
    private final Path tmp;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private long size;
    private State state = State.OPEN;

    /** Takes ownership of {@code channel}: on failure the file is closed and removed. */
    FileSpoolWriter(FileSpool spool, QueueId id, FileChannel channel, byte[] header) throws IOException {
        this.spool = spool;
        this.id = id;
        this.tmp = spool.tmpFile(id);
        this.channel = channel;
        try {
            append(header, 0, header.length);
        } catch (IOException e) {
            abort();
            throw FileSpool.full(e, id);
        }
    }

    @Override
    public QueueId id() {
        return id;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        requireOpen();
        Objects.checkFromIndexSize(offset, length, bytes.length);
        try {
            append(bytes, offset, length);
        } catch (IOException e) {
            abort();
            throw FileSpool.full(e, id);
        }
        size += length;
    }

    @Override
    public void replaceEnvelope(Envelope envelope) throws IOException {
        requireOpen();
        if (size > 0) throw new IllegalStateException(id + ": content already written");
        byte[] header = SpoolFileFormat.header(envelope);
        try {
            // Whatever of the old header was flushed goes too: the file starts over.
            buffer.clear();
            channel.truncate(0);
            channel.position(0);
            append(header, 0, header.length);
        } catch (IOException e) {
            abort();
            throw FileSpool.full(e, id);
        }
    }

    private void append(byte[] bytes, int offset, int length) throws IOException {
        if (length > buffer.remaining()) {
            flush();
            if (length >= BUFFER_SIZE) { // too big to gather: write it straight from the caller's array
                writeFully(ByteBuffer.wrap(bytes, offset, length));
                return;
            }
        }
        buffer.put(bytes, offset, length);
    }

    @Override
    public void commit() throws IOException {
        requireOpen();
        try {
            flush();
            // fdatasync: flushes the content and the size that reading it back needs, and skips
            // only timestamps, which recovery never looks at.
            channel.force(false);
            channel.close();
            Files.move(tmp, spool.queueFile(id), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            abort();
            throw FileSpool.full(e, id);
        }
        try {
            spool.syncQueueDirectory();
        } catch (IOException e) {
            // The rename may or may not survive a crash; either way the client is told to retry,
            // so at worst the message is delivered twice, never lost.
            state = State.ABORTED;
            deleteQuietly(spool.queueFile(id));
            throw FileSpool.full(e, id);
        }
        state = State.COMMITTED;
        spool.committed();
        log.debug("{}: committed to spool, {} octets", id, size);
    }

    @Override
    public void abort() {
        if (state != State.OPEN) return;
        state = State.ABORTED;
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("{}: closing aborted spool file: {}", id, e.toString());
        }
        deleteQuietly(tmp);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void close() {
        abort();
    }

    private void flush() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) channel.write(b);
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException(id + ": spool writer is already " + state.name().toLowerCase(Locale.ROOT));
        }
    }

    private void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left in tmp/ it is removed at the next start; in queue/ it would be a duplicate.
            log.warn("{}: cannot remove {}: {}", id, file, e.toString());
        }
    }
}
