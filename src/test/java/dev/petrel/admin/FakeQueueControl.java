package dev.petrel.admin;

import dev.petrel.message.QueueId;
import dev.petrel.queue.QueueControl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory queue that counts every state-changing call, so tests can prove GET changes nothing. */
final class FakeQueueControl implements QueueControl {
    private final Map<QueueId, QueueEntry> entries = new LinkedHashMap<>();
    final AtomicInteger mutations = new AtomicInteger();
    final List<String> calls = new ArrayList<>();
    volatile RuntimeException failure;

    synchronized FakeQueueControl add(QueueEntry e) {
        entries.put(e.id(), e);
        return this;
    }

    @Override
    public synchronized List<QueueEntry> list() {
        fail();
        return List.copyOf(entries.values());
    }

    @Override
    public synchronized Optional<QueueEntry> show(QueueId id) {
        fail();
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public synchronized int flush(Optional<QueueId> id) {
        mutated("flush " + id.map(QueueId::value).orElse("ALL"));
        if (id.isPresent()) return entries.containsKey(id.get()) ? 1 : 0;
        return entries.size();
    }

    @Override
    public synchronized boolean hold(QueueId id) {
        mutated("hold " + id);
        return setHeld(id, true);
    }

    @Override
    public synchronized boolean release(QueueId id) {
        mutated("release " + id);
        return setHeld(id, false);
    }

    @Override
    public synchronized boolean delete(QueueId id) {
        mutated("delete " + id);
        return entries.remove(id) != null;
    }

    @Override
    public synchronized boolean bounce(QueueId id) {
        mutated("bounce " + id);
        return entries.remove(id) != null;
    }

    private boolean setHeld(QueueId id, boolean held) {
        QueueEntry e = entries.get(id);
        if (e == null) return false;
        entries.put(id, new QueueEntry(e.id(), e.size(), e.arrival(), e.sender(), held, e.recipients()));
        return true;
    }

    private void mutated(String call) {
        fail();
        mutations.incrementAndGet();
        calls.add(call);
    }

    private void fail() {
        if (failure != null) throw failure;
    }
}
