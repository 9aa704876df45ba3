package dev.petrel.queue;

import dev.petrel.message.QueueId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Queue control when delivery is off: the queue can be listed, shown and pruned, but nothing is
 * ever tried, so flush does nothing and hold, release and bounce report that they cannot act.
 */
public final class StaticQueue implements QueueControl {
    private final Spool spool;

    public StaticQueue(Spool spool) {
        this.spool = spool;
    }

    @Override
    public List<QueueEntry> list() {
        try {
            List<QueueEntry> out = new ArrayList<>();
            for (QueueId id : spool.list()) show(id).ifPresent(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<QueueEntry> show(QueueId id) {
        try {
            SpooledMessage m = spool.read(id);
            QueuedMessage q = new QueuedMessage(id, m.envelope(), m.content().length);
            for (String line : spool.readStatus(id)) {
                StatusRecord r = StatusRecord.parse(line);
                if (r != null) q.apply(r);
            }
            return Optional.of(q.toEntry());
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int flush(Optional<QueueId> id) {
        return 0;
    }

    @Override
    public boolean hold(QueueId id) {
        return false;
    }

    @Override
    public boolean release(QueueId id) {
        return false;
    }

    @Override
    public boolean delete(QueueId id) {
        try {
            if (show(id).isEmpty()) return false;
            spool.remove(id);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean bounce(QueueId id) {
        return false;
    }
}
