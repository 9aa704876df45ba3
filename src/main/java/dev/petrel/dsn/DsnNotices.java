package dev.petrel.dsn;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;
import dev.petrel.queue.Notices;

import java.time.Instant;
import java.util.List;

/** The scheduler's {@link Notices} built with {@link BounceBuilder} and {@link NotifyPolicy}. */
public final class DsnNotices implements Notices {
    private final BounceBuilder builder;

    public DsnNotices(String hostname) {
        this.builder = BounceBuilder.forHost(hostname);
    }

    @Override
    public Notice build(Kind kind, QueueId id, Envelope envelope, byte[] content, List<Entry> entries, Instant now,
                        Instant retryUntil) {
        Action action = kind == Kind.FAILED ? Action.FAILED : Action.DELAYED;
        List<DsnEntry> dsn = entries.stream()
                .map(e -> new DsnEntry(e.recipient(), e.status(), action, now)).toList();
        return builder.notice(id, envelope, content, dsn, now, kind == Kind.DELAYED ? retryUntil : null)
                .map(b -> new Notice(b.envelope(), b.content()))
                .orElse(null);
    }
}
