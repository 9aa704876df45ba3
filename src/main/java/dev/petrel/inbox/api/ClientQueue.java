package dev.petrel.inbox.api;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The frames waiting for one live-events client. The store's writer thread offers frames and never
 * waits: when the queue is full the client is marked dropped (it fell too far behind), and its own
 * request thread ends the stream; the browser's EventSource then reconnects and reloads the list.
 * Only the client's request thread takes frames.
 */
final class ClientQueue {
    /** What {@link #next} hands the request thread. */
    sealed interface Next {
        /** A frame to write. */
        record Frame(String text) implements Next {
        }

        /** Nothing arrived within the heartbeat interval: write a comment to keep the connection alive. */
        record Idle() implements Next {
        }

        /** The stream ends: the client was dropped or the server is closing. */
        record End(String reason) implements Next {
        }
    }

    private static final String CLOSING = "\u0000closing";

    private final BlockingQueue<String> frames;
    private final Runnable abortConnection;
    private volatile String endReason;

    /**
     * @param capacity        how many frames may wait before the client is dropped
     * @param abortConnection closes the client's connection (run off the writer thread), so a request
     *                        thread stuck writing to a client that stopped reading is released
     */
    ClientQueue(int capacity, Runnable abortConnection) {
        this.frames = new ArrayBlockingQueue<>(capacity);
        this.abortConnection = abortConnection;
    }

    /** Queues a frame without waiting; false (and the client is dropped) when the queue is full. */
    boolean offer(String frame) {
        if (endReason != null) return false;
        if (frames.offer(frame)) return true;
        endReason = "the client fell more than " + (frames.size() + frames.remainingCapacity()) + " events behind";
        Thread.ofVirtual().name("inbox-events-abort").start(abortConnection);
        return false;
    }

    /** Ends the stream because the server is closing. */
    void close() {
        if (endReason == null) endReason = "the server is closing";
        frames.offer(CLOSING); // wakes a waiting request thread; when full, it sees endReason on its next look
    }

    boolean dropped() {
        return endReason != null;
    }

    /** The next frame, or Idle after {@code heartbeat} without one, or End. Called by the request thread only. */
    Next next(Duration heartbeat) throws InterruptedException {
        if (endReason != null) return new Next.End(endReason);
        String frame = frames.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        if (endReason != null) return new Next.End(endReason);
        if (frame == null) return new Next.Idle();
        return new Next.Frame(frame);
    }
}
