/**
 * The queue: where accepted messages are kept, durably, until they are delivered.
 *
 * <p><b>Does.</b> {@link dev.petrel.queue.Spool} is the seam; {@link dev.petrel.queue.FileSpool}
 * keeps each message as one file under {@code <dataDir>/spool}: written to {@code tmp/<id>},
 * fsync'ed, renamed to {@code queue/<id>}, and the {@code queue/} directory fsync'ed before
 * {@link dev.petrel.queue.SpoolWriter#commit()} returns. Only then may the session say 250. A
 * file holds {@code PETREL1\n}, the envelope as one JSON line ({@link dev.petrel.queue.EnvelopeCodec}),
 * and the content bytes as received. {@link dev.petrel.queue.MemorySpool} is the in-memory twin.
 *
 * <p><b>Does not.</b> Parse or change content (no dot-stuffing, no header edits: the session hands
 * over the final bytes). Schedule, retry or deliver. Record per-recipient progress yet: that will
 * be an append-only file beside the message; {@code list()} only reports names that are queue
 * ids, so such files do not show up as messages, and a message file is never rewritten.
 *
 * <p><b>Call order and threading.</b> {@code create} → {@code write}* → {@code commit} or
 * {@code abort}; {@code close} aborts if neither happened. A writer belongs to one session's
 * thread; the spool itself is thread-safe. File fsyncs run in the committing thread (in parallel
 * across sessions); the directory fsync is shared: one fsync covers every rename done before it
 * started (group commit), so its count stays below the commit count under load.
 *
 * <p><b>Failure modes.</b> Free space minus the expected size below the reserve, or ENOSPC while
 * writing or committing: {@link dev.petrel.queue.SpoolFullException} (reply 452 4.3.1). Any
 * failure in {@code write} or {@code commit} removes the message; nothing half-written is ever in
 * {@code queue/}. A crash leaves at most unfinished files in {@code tmp/}, deleted (and counted
 * in the log) at the next start. A corrupt file in {@code queue/} makes {@code read} throw an
 * {@link java.io.IOException} naming the file; it is never skipped silently. One process per
 * spool directory.
 */
package dev.petrel.queue;
