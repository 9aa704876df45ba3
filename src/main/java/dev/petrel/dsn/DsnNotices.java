package dev.petrel.dsn;

import dev.petrel.message.DeliveryStatus;
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
        List<DsnEntry> dsn = entries.stream()
                .map(e -> new DsnEntry(e.recipient(), e.status(), action(kind, e.status()), now)).toList();
        return builder.notice(id, envelope, content, dsn, now, kind == Kind.DELAYED ? retryUntil : null)
                .map(b -> new Notice(b.envelope(), b.content()))
                .orElse(null);
    }

    private static Action action(Kind kind, DeliveryStatus status) {
        return switch (kind) {
            case FAILED -> Action.FAILED;
            case DELAYED -> Action.DELAYED;
            case DELIVERED -> status.handoff() == DeliveryStatus.Handoff.RELAYED ? Action.RELAYED : Action.DELIVERED;
        };
    }
}
