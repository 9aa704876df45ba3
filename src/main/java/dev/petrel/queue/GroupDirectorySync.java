package dev.petrel.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes renames into one directory durable with as few directory fsyncs as possible (group
 * commit).
 *
 * <p>A directory fsync covers every entry change made before it started, so one sync can serve
 * all sessions that renamed while the previous sync was running. Syncs are numbered
 * (generations). A caller that renamed before calling {@link #sync()} needs a sync that started
 * after its call: generation {@code started + 1} at the moment it takes the lock. If no sync is
 * running it becomes the leader and runs that sync itself, without holding the lock; otherwise it
 * waits. When a sync finishes, everyone whose generation is now complete returns, and one of the
 * rest becomes the next leader. At most one sync runs at a time; generations complete in order.
 *
 * <p>Failure: an fsync error fails every caller whose generation is at or below the failed one
 * (conservatively including those also covered by an earlier successful sync that they woke
 * too late to see). A failed fsync is never retried for the same callers: after an fsync error
 * Linux may have dropped the dirty state, so a retry could report success falsely.
 */
final class GroupDirectorySync {
    private final Path dir;
    private final SyncAction action;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private long started;    // generation of the last sync that started
    private long completed;  // generation of the last sync that finished (== started when idle)
    private long lastFailed; // generation of the last sync that failed, 0 if none
    private IOException lastFailure;

    /** The fsync itself; replaceable so tests can observe and fail it. */
    interface SyncAction {
        void run() throws IOException;
    }

    GroupDirectorySync(Path dir) {
        this(dir, () -> fsyncDirectory(dir));
    }

    GroupDirectorySync(Path dir, SyncAction action) {
        this.dir = dir;
        this.action = action;
    }

    /** Returns once a directory fsync that started after this call began has succeeded. */
    void sync() throws IOException {
        lock.lock();
        try {
            long needed = started + 1;
            while (completed < needed) {
                if (started == completed) {
                    lead(++started);
                } else {
                    finished.awaitUninterruptibly();
                }
            }
            if (lastFailed >= needed) {
                throw new IOException("fsync of directory " + dir + " failed", lastFailure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Number of directory fsyncs performed so far (for tests and metrics). */
    long syncCount() {
        lock.lock();
        try {
            return completed;
        } finally {
            lock.unlock();
        }
    }

    /** Runs one sync as generation {@code generation}; called and returns with the lock held. */
    private void lead(long generation) {
        // The sync is shared work: an interrupt aimed at this caller must not close the channel
        // (ClosedByInterruptException) and fail every other session waiting on it.
        boolean interrupted = Thread.interrupted();
        boolean ok = false;
        IOException failure = null;
        lock.unlock();
        try {
            action.run();
            ok = true;
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException(e);
        } finally {
            lock.lock();
            if (!ok) {
                lastFailed = generation;
                lastFailure = failure != null ? failure : new IOException("directory fsync did not complete");
            }
            // Always completes the generation, even on an Error, so waiters never hang.
            completed = generation;
            finished.signalAll();
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** fsync on a directory: on Linux, opening it for reading and forcing it is enough. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
