package dev.petrel.queue;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Gauge;
import dev.petrel.config.PetrelConfig;
import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Route;
import dev.petrel.delivery.Router;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.DeliveryStatus.Outcome;
import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;
import dev.petrel.message.Recipient;
import dev.petrel.queue.QueueControl.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Moves queued mail on: picks up each message when it is due, groups its unfinished recipients by
 * route, runs one delivery job per route (each on a virtual thread, within the limits on
 * connections in total and per destination), records every outcome, and then retries, bounces,
 * warns or removes the message.
 *
 * <p>Durability (DESIGN habit 6): each outcome is written to the message's status log and fsync'ed
 * before the scheduler acts on it; a bounce is queued before the message is removed, and the
 * removal is made durable before the status log goes. After a crash, a recipient recorded as
 * delivered is never tried again, and no unfinished recipient is forgotten. A message whose
 * recipients all succeed in one round is simply removed (its removal is the record), so the common
 * case costs no status log at all.
 *
 * <p>Threading: one platform thread decides when messages are due; delivery jobs run on virtual
 * threads; each {@link QueuedMessage} is guarded by its own monitor.
 */
public final class Scheduler implements QueueControl, CommitListener, AutoCloseable, MeterBinder {
    private static final Logger log = LoggerFactory.getLogger("petrel.queue");

    private final Spool spool;
    private final Router router;
    private final TransportSelector transports;
    private final Notices notices;
    /** Until {@link #bindTo}: an empty composite, whose meters count nothing. */
    private volatile MeterRegistry metrics = new CompositeMeterRegistry();
    private final PetrelConfig.Queue config;
    private final Clock clock;
    private final Map<QueueId, QueuedMessage> messages = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Semaphore connections;
    private final Map<String, Semaphore> perDestination = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Scheduler(Spool spool, Router router, TransportSelector transports, Notices notices,
                     PetrelConfig.Queue config, Clock clock) {
        this.spool = spool;
        this.router = router;
        this.transports = transports;
        this.notices = notices;
        this.config = config;
        this.clock = clock;
        this.connections = new Semaphore(config.maxConnections());
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "queue-scheduler");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    /** Loads every queued message with its status log and schedules it. */
    public void start() throws IOException {
        int loaded = 0;
        for (QueueId id : spool.list()) {
            SpooledMessage m;
            try {
                m = spool.read(id);
            } catch (IOException e) {
                log.error("{}: cannot read queue file, leaving it alone: {}", id, e.getMessage());
                continue;
            }
            QueuedMessage q = new QueuedMessage(id, m.envelope(), m.content().length);
            for (String line : spool.readStatus(id)) {
                StatusRecord r = StatusRecord.parse(line);
                if (r != null) q.apply(r);
            }
            messages.put(id, q);
            loaded++;
            synchronized (q) {
                try {
                    if (q.finished()) {
                        finishRound(q); // a crash came between the last outcome and the removal
                    } else {
                        schedule(q, q.nextAttempt == null ? clock.instant() : q.nextAttempt);
                    }
                } catch (RuntimeException e) {
                    log.error("{}: cannot resume, retrying later: {}", id, e.toString(), e);
                    schedule(q, clock.instant().plus(config.retryMin()));
                }
            }
        }
        log.info("queue: {} messages loaded", loaded);
    }

    @Override
    public void committed(QueueId id, Envelope envelope, long size) {
        enqueue(id, envelope, size);
    }

    /** A message was just committed to the spool: try it at once. */
    public void enqueue(QueueId id, Envelope envelope, long size) {
        QueuedMessage q = new QueuedMessage(id, envelope, size);
        messages.put(id, q);
        synchronized (q) {
            if (q.held) {
                log.info("{}: quarantined ({}); held until released with petrel queue release", id, envelope.quarantine());
                return;
            }
            schedule(q, clock.instant());
        }
    }

    /** Number of messages in the queue (for tests and metrics). */
    public int size() {
        return messages.size();
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }

    // ---- dispatch

    /** Call with the message's monitor held. */
    private void schedule(QueuedMessage q, Instant when) {
        if (closed || q.removed) return;
        q.nextAttempt = when;
        long generation = ++q.generation;
        long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis());
        try {
            timer.schedule(() -> dispatch(q, generation), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: the message stays in the spool and is loaded again at the next start.
        }
    }

    private void dispatch(QueuedMessage q, long generation) {
        try {
            dispatchJobs(q, generation);
        } catch (RuntimeException e) {
            // An exception escaping a timer task would be swallowed and the message never tried again.
            log.error("{}: scheduling failed, retrying later: {}", q.id, e.toString(), e);
            synchronized (q) {
                schedule(q, clock.instant().plus(config.retryMin()));
            }
        }
    }

    private void dispatchJobs(QueuedMessage q, long generation) {
        Map<Route, List<Integer>> jobs = new LinkedHashMap<>();
        synchronized (q) {
            if (closed || q.removed || q.held || q.jobsInFlight > 0 || q.generation != generation) return;
            for (int i : q.unfinished()) {
                jobs.computeIfAbsent(router.route(q.envelope, q.envelope.recipients().get(i).address()), r -> new ArrayList<>()).add(i);
            }
            if (jobs.isEmpty()) {
                finishRound(q);
                return;
            }
            q.jobsInFlight = jobs.size();
        }
        jobs.forEach((route, indexes) -> Thread.ofVirtual().name("delivery-" + q.id).start(() -> runJob(q, route, indexes)));
    }

    private void runJob(QueuedMessage q, Route route, List<Integer> indexes) {
        List<Recipient> recipients = indexes.stream().map(i -> q.envelope.recipients().get(i)).toList();
        List<DeliveryStatus> statuses;
        Semaphore destination = perDestination.computeIfAbsent(route.key(), k -> new Semaphore(config.maxConnectionsPerDestination()));
        try {
            // The destination's permit first: jobs waiting for a busy destination must not hold
            // the global permits that other destinations need.
            destination.acquire();
            try {
                connections.acquire();
                try {
                    statuses = attempt(q, route, recipients);
                } finally {
                    connections.release();
                }
            } finally {
                destination.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            statuses = failAll(recipients, "delivery interrupted (server shutting down)");
        } catch (Throwable t) {
            // Whatever happens, the job must be recorded, or the message would wait forever.
            log.error("{}: delivery job failed: {}", q.id, t.toString(), t);
            statuses = failAll(recipients, "local error in processing: " + t);
        }
        try {
            record(q, indexes, statuses);
        } catch (RuntimeException e) {
            log.error("{}: recording the outcome failed, retrying later: {}", q.id, e.toString(), e);
            synchronized (q) {
                q.jobsInFlight = 0;
                schedule(q, clock.instant().plus(config.retryMin()));
            }
        }
    }

    private static List<DeliveryStatus> failAll(List<Recipient> recipients, String why) {
        return recipients.stream().map(r -> DeliveryStatus.temporary(r.address(), "4.3.0", why, "none")).toList();
    }

    private List<DeliveryStatus> attempt(QueuedMessage q, Route route, List<Recipient> recipients) {
        if (route instanceof Route.Refuse refuse) {
            return recipients.stream().map(r -> DeliveryStatus.permanent(r.address(), refuse.dsn(), refuse.reason(), "none")).toList();
        }
        try {
            byte[] content = spool.read(q.id).content();
            List<DeliveryStatus> statuses = transports.transportFor(route).deliver(new Delivery(q.id, q.envelope, recipients, content), route);
            if (statuses.size() != recipients.size()) {
                throw new IllegalStateException("transport returned " + statuses.size() + " statuses for " + recipients.size() + " recipients");
            }
            return statuses;
        } catch (IOException | RuntimeException e) {
            log.error("{}: delivery via {} failed unexpectedly: {}", q.id, route, e.toString(), e);
            return recipients.stream().map(r -> DeliveryStatus.temporary(r.address(), "4.3.0",
                    "local error in processing: " + e.getMessage(), "none")).toList();
        }
    }

    /** Records a job's outcomes durably, logs them, and ends the round when it was the last job. */
    private void record(QueuedMessage q, List<Integer> indexes, List<DeliveryStatus> statuses) {
        synchronized (q) {
            if (q.removed) return;
            Instant now = clock.instant();
            List<String> lines = new ArrayList<>();
            for (int k = 0; k < indexes.size(); k++) {
                int i = indexes.get(k);
                DeliveryStatus s = statuses.get(k);
                if (q.states[i] == State.FAILED && s.outcome() != Outcome.DELIVERED) {
                    continue; // the operator bounced it while this job ran; that stands
                }
                q.states[i] = switch (s.outcome()) {
                    case DELIVERED -> State.DELIVERED;
                    case PERMANENT_FAILURE -> State.FAILED;
                    case TEMPORARY_FAILURE -> State.DEFERRED;
                };
                q.last[i] = s;
                q.tries[i]++;
                lines.add(StatusRecord.outcome(i, now, s));
                logAttempt(q, s, now);
            }
            q.jobsInFlight--;
            // Fast path: when everyone has it and nobody is owed a success notice, removing the
            // message is the whole record. A notice still to queue needs the deliveries on disk
            // first, or a failure to queue it would leave a message that a restart delivers again.
            boolean allDeliveredNow = q.jobsInFlight == 0 && q.finished() && q.inState(State.FAILED).isEmpty()
                    && q.successUnreported().isEmpty();
            if (!allDeliveredNow && !appendStatus(q, lines)) return;
            if (q.jobsInFlight == 0) finishRound(q);
        }
    }

    /** After the last job of a round: bounce, then remove, or warn and reschedule. Monitor held. */
    private void finishRound(QueuedMessage q) {
        Instant now = clock.instant();
        // The expiry must be on disk before its bounce is queued.
        if (!q.finished() && !now.isBefore(q.arrival().plus(config.maxAge())) && !expire(q, now)) return;
        // As Postfix's queue manager does after every round: recipients that failed for good are
        // reported now, not days later when the last deferred recipient is done.
        List<Integer> failed = q.failedUnreported();
        if (!failed.isEmpty()) {
            if (!queueNotice(q, Notices.Kind.FAILED, failed, now)) return;
            if (!appendStatus(q, List.of(StatusRecord.bounceSent(now, failed)))) return;
            q.markFailureReported(failed);
        }
        // NOTIFY=SUCCESS (RFC 3461 5.2.2): "delivered" into a mailbox, or "relayed" to a server without DSN.
        List<Integer> succeeded = q.successUnreported();
        if (!succeeded.isEmpty()) {
            if (!queueNotice(q, Notices.Kind.DELIVERED, succeeded, now)) return;
            q.markSuccessReported(succeeded);
        }
        if (q.finished()) {
            remove(q);
            return;
        }
        q.attempts++;
        if (!config.delayWarning().isZero() && !q.delayNoticeSent && !now.isBefore(q.arrival().plus(config.delayWarning()))) {
            if (queueNotice(q, Notices.Kind.DELAYED, q.inState(State.DEFERRED), now)
                    && appendStatus(q, List.of(StatusRecord.delayNoticeSent(now)))) {
                q.delayNoticeSent = true;
            }
        }
        Instant next = now.plus(backoff(q.attempts));
        if (appendStatus(q, List.of(StatusRecord.retry(next, q.attempts)))) schedule(q, next);
    }

    /** RFC 5321 4.5.4.1: give up after the maximum age; the last temporary error becomes final. */
    private boolean expire(QueuedMessage q, Instant now) {
        List<String> lines = new ArrayList<>();
        for (int i : q.unfinished()) {
            DeliveryStatus last = q.last[i];
            // Status 4.4.7 says "expired"; a remote server's last reply stays verbatim so that the
            // bounce can quote it as the Diagnostic-Code, as Postfix does.
            boolean remote = last != null && last.remoteReply();
            String why = remote ? last.reply() : "message expired after " + human(config.maxAge()) + " in the queue"
                    + (last == null ? "" : "; last error: " + last.reply());
            DeliveryStatus s = new DeliveryStatus(q.envelope.recipients().get(i).address(), Outcome.PERMANENT_FAILURE,
                    "4.4.7", why, last == null ? "none" : last.relay(), remote);
            q.states[i] = State.FAILED;
            q.last[i] = s;
            lines.add(StatusRecord.outcome(i, now, s));
            logAttempt(q, s, now);
        }
        return appendStatus(q, lines);
    }

    private static String human(Duration d) {
        if (d.toDays() > 0 && d.toHours() % 24 == 0) return d.toDays() + " days";
        if (d.toHours() > 0) return d.toHours() + " hours";
        if (d.toMinutes() > 0) return d.toMinutes() + " minutes";
        return d.toMillis() / 1000.0 + " seconds";
    }

    Duration backoff(int attempts) {
        Duration d = config.retryMin();
        for (int i = 1; i < attempts && d.compareTo(config.retryMax()) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(config.retryMax()) > 0 ? config.retryMax() : d;
    }

    /** Builds and queues a bounce or delay notice; true when done (or when none was due). */
    private boolean queueNotice(QueuedMessage q, Notices.Kind kind, List<Integer> indexes, Instant now) {
        if (q.envelope.hasNullSender()) return true; // a notice about a notice is never sent: no need to read the content
        try {
            byte[] content = spool.read(q.id).content();
            List<Notices.Entry> entries = indexes.stream()
                    .map(i -> new Notices.Entry(q.envelope.recipients().get(i), q.last[i])).toList();
            Notices.Notice notice = notices.build(kind, q.id, q.envelope, content, entries, now, q.arrival().plus(config.maxAge()));
            if (notice == null) return true;
            QueueId id;
            try (SpoolWriter w = spool.create(notice.envelope(), notice.content().length)) {
                w.write(notice.content(), 0, notice.content().length);
                w.commit();
                id = w.id();
            }
            log.info("{}: sender {} notification: {}", q.id, switch (kind) {
                case FAILED -> "non-delivery";
                case DELAYED -> "delay";
                case DELIVERED -> "delivery";
            }, id);
            enqueue(id, notice.envelope(), notice.content().length);
            return true;
        } catch (IOException e) {
            log.error("{}: cannot queue the {} notice, will try again: {}", q.id, kind, e.toString());
            schedule(q, now.plus(config.retryMin()));
            return false;
        }
    }

    /** Appends to the status log; on failure the message is retried later rather than acted on. */
    private boolean appendStatus(QueuedMessage q, List<String> lines) {
        if (lines.isEmpty()) return true;
        try {
            spool.appendStatus(q.id, lines);
            return true;
        } catch (IOException e) {
            log.error("{}: cannot record delivery status, will try again: {}", q.id, e.toString());
            schedule(q, clock.instant().plus(config.retryMin()));
            return false;
        }
    }

    private void remove(QueuedMessage q) {
        try {
            spool.remove(q.id);
        } catch (IOException e) {
            log.error("{}: cannot remove from the queue, will try again: {}", q.id, e.toString());
            schedule(q, clock.instant().plus(config.retryMin()));
            return;
        }
        q.removed = true;
        messages.remove(q.id);
        log.info("{}: removed", q.id);
    }

    /** Metrics: petrel.queue.messages (gauge) and petrel.delivery.attempts{status} (counter). */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("petrel.queue.messages", this, Scheduler::size).description("messages in the queue").register(registry);
        metrics = registry;
    }

    private void logAttempt(QueuedMessage q, DeliveryStatus s, Instant now) {
        String status = switch (s.outcome()) {
            case DELIVERED -> "sent";
            case TEMPORARY_FAILURE -> "deferred";
            case PERMANENT_FAILURE -> "bounced";
        };
        metrics.counter("petrel.delivery.attempts", "status", status).increment();
        double delay = Duration.between(q.arrival(), now).toMillis() / 1000.0;
        log.info("{}: to=<{}>, relay={}, {}delay={}, dsn={}, status={} ({})", q.id, s.recipient(), s.relay(),
                s.mtaSts() == null ? "" : "mta-sts=" + s.mtaSts() + ", ",
                String.format(java.util.Locale.ROOT, "%.2f", delay), s.dsn(), status, s.reply());
    }

    // ---- QueueControl

    @Override
    public List<QueueEntry> list() {
        List<QueuedMessage> all = new ArrayList<>(messages.values());
        all.sort(Comparator.comparing(m -> m.id));
        List<QueueEntry> out = new ArrayList<>();
        for (QueuedMessage q : all) {
            synchronized (q) {
                out.add(q.toEntry());
            }
        }
        return out;
    }

    @Override
    public Optional<QueueEntry> show(QueueId id) {
        QueuedMessage q = messages.get(id);
        if (q == null) return Optional.empty();
        synchronized (q) {
            return Optional.of(q.toEntry());
        }
    }

    @Override
    public int flush(Optional<QueueId> id) {
        int n = 0;
        for (QueuedMessage q : id.isPresent() ? Optional.ofNullable(messages.get(id.get())).stream().toList()
                : new ArrayList<>(messages.values())) {
            synchronized (q) {
                if (q.held || q.removed || q.jobsInFlight > 0) continue;
                schedule(q, clock.instant());
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean hold(QueueId id) {
        return setHeld(id, true);
    }

    @Override
    public boolean release(QueueId id) {
        return setHeld(id, false);
    }

    private boolean setHeld(QueueId id, boolean held) {
        QueuedMessage q = messages.get(id);
        if (q == null) return false;
        synchronized (q) {
            if (q.removed) return false;
            if (q.held == held) return true;
            try {
                spool.appendStatus(id, List.of(StatusRecord.held(held, clock.instant())));
            } catch (IOException e) {
                log.error("{}: cannot record hold/release: {}", id, e.toString());
                return false;
            }
            q.held = held;
            log.info("{}: {} by the administrator", id, held ? "held" : "released");
            if (!held && q.jobsInFlight == 0) schedule(q, clock.instant());
            return true;
        }
    }

    @Override
    public boolean delete(QueueId id) {
        QueuedMessage q = messages.get(id);
        if (q == null) return false;
        synchronized (q) {
            log.info("{}: deleted by the administrator", id);
            remove(q);
            return q.removed;
        }
    }

    @Override
    public boolean bounce(QueueId id) {
        QueuedMessage q = messages.get(id);
        if (q == null) return false;
        synchronized (q) {
            if (q.removed) return false;
            Instant now = clock.instant();
            List<String> lines = new ArrayList<>();
            for (int i : q.unfinished()) {
                DeliveryStatus s = DeliveryStatus.permanent(q.envelope.recipients().get(i).address(), "5.0.0",
                        "message returned by the administrator", "none");
                q.states[i] = State.FAILED;
                q.last[i] = s;
                lines.add(StatusRecord.outcome(i, now, s));
                logAttempt(q, s, now);
            }
            if (!appendStatus(q, lines)) return false;
            if (q.jobsInFlight == 0) finishRound(q);
            return true;
        }
    }
}
