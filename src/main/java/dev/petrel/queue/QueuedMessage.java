package dev.petrel.queue;

import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;
import dev.petrel.queue.QueueControl.State;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler's in-memory view of one queued message: where each recipient stands, how many
 * rounds were tried, when the next is due. Rebuilt from the spool and the status log at start.
 * Guarded by its own monitor; the scheduler holds it while reading or changing any field.
 */
final class QueuedMessage {
    final QueueId id;
    final Envelope envelope;
    final long size;
    final State[] states;
    final DeliveryStatus[] last;
    final int[] tries;
    int attempts;
    Instant nextAttempt;
    boolean held;
    boolean delayNoticeSent;
    /** Per recipient: its failure was reported to the sender (a bounce was queued). */
    final boolean[] failureReported;
    /**
     * Per recipient: a success was reported, or will not be (NOTIFY=SUCCESS). Not in the status log:
     * after a restart a delivered recipient counts as reported, since who was to report (the next
     * hop or we) is not recorded; a crash between a delivery and its notice loses that notice.
     */
    final boolean[] successReported;
    boolean removed;
    int jobsInFlight;
    long generation;

    QueuedMessage(QueueId id, Envelope envelope, long size) {
        this.id = id;
        this.envelope = envelope;
        this.size = size;
        int n = envelope.recipients().size();
        this.states = new State[n];
        this.last = new DeliveryStatus[n];
        this.tries = new int[n];
        this.failureReported = new boolean[n];
        this.successReported = new boolean[n];
        java.util.Arrays.fill(states, State.PENDING);
        // Quarantined mail waits for an operator; a later release record in the status log lifts it.
        this.held = envelope.quarantine() != null;
    }

    /** Applies one record of the status log (at start, when rebuilding). */
    void apply(StatusRecord r) {
        switch (r) {
            case StatusRecord.Outcome o -> {
                if (o.index() < 0 || o.index() >= states.length) return;
                states[o.index()] = switch (o.outcome()) {
                    case DELIVERED -> State.DELIVERED;
                    case PERMANENT_FAILURE -> State.FAILED;
                    case TEMPORARY_FAILURE -> states[o.index()] == State.PENDING || states[o.index()] == State.DEFERRED
                            ? State.DEFERRED : states[o.index()];
                };
                tries[o.index()]++;
                if (o.outcome() == DeliveryStatus.Outcome.DELIVERED) successReported[o.index()] = true;
                last[o.index()] = new DeliveryStatus(envelope.recipients().get(o.index()).address(), o.outcome(), o.dsn(),
                        o.reply(), o.relay(), !o.relay().equals("none") && !o.relay().equals("local"));
            }
            case StatusRecord.Retry retry -> {
                attempts = retry.attempts();
                nextAttempt = retry.next();
            }
            case StatusRecord.Held h -> held = h.held();
            case StatusRecord.DelayNoticeSent d -> delayNoticeSent = true;
            case StatusRecord.BounceSent b -> markFailureReported(b.indexes() == null ? inState(State.FAILED) : b.indexes());
        }
    }

    /** Recipients that failed for good and whose sender has not been told yet. */
    List<Integer> failedUnreported() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < states.length; i++) if (states[i] == State.FAILED && !failureReported[i]) out.add(i);
        return out;
    }

    /**
     * Recipients delivered this run that asked for a success notice (NOTIFY=SUCCESS) which we must
     * send: not when the next hop took the request over, never for the null sender.
     */
    List<Integer> successUnreported() {
        List<Integer> out = new ArrayList<>();
        if (envelope.hasNullSender()) return out;
        for (int i = 0; i < states.length; i++) {
            if (states[i] != State.DELIVERED || successReported[i] || last[i] == null) continue;
            if (last[i].handoff() == DeliveryStatus.Handoff.DSN_PASSED_ON) continue;
            if (envelope.recipients().get(i).notifyOn().contains(dev.petrel.message.Recipient.Notify.SUCCESS)) out.add(i);
        }
        return out;
    }

    void markSuccessReported(List<Integer> indexes) {
        for (int i : indexes) successReported[i] = true;
    }

    void markFailureReported(List<Integer> indexes) {
        for (int i : indexes) if (i >= 0 && i < failureReported.length) failureReported[i] = true;
    }

    List<Integer> unfinished() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            if (states[i] == State.PENDING || states[i] == State.DEFERRED) out.add(i);
        }
        return out;
    }

    List<Integer> inState(State state) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < states.length; i++) if (states[i] == state) out.add(i);
        return out;
    }

    boolean finished() {
        return unfinished().isEmpty();
    }

    Instant arrival() {
        return envelope.receivedAt();
    }

    QueueControl.QueueEntry toEntry() {
        List<QueueControl.RecipientState> rs = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            boolean open = states[i] == State.PENDING || states[i] == State.DEFERRED;
            rs.add(new QueueControl.RecipientState(envelope.recipients().get(i).address().toString(), states[i], tries[i],
                    open && !held ? nextAttempt : null, last[i] == null || states[i] == State.DELIVERED ? null : last[i].reply()));
        }
        return new QueueControl.QueueEntry(id, size, arrival(), envelope.senderText(), held, rs);
    }
}
