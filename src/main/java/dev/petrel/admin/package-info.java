/**
 * The local admin API and the {@code petrel queue} command that uses it.
 *
 * <p>Does: {@link dev.petrel.admin.AdminServer} serves a small JSON API over a {@link
 * dev.petrel.queue.QueueControl} (list, show, flush, hold, release, delete, bounce) on a loopback
 * address; {@link dev.petrel.admin.QueueCommand} is its command-line client and prints the queue
 * like Postfix's {@code mailq}. Discovery and trust go through two files in the data directory:
 * {@code admin.address} ({@code 127.0.0.1:PORT}) and {@code admin.token} (256 random bits, hex,
 * mode 0600), written at start (token first) and removed at stop. Every request needs {@code
 * Authorization: Bearer <token>}; so whoever can read the data dir controls the queue, and a web
 * page in a local browser cannot (it cannot read the token).
 *
 * <p>Does not: listen on anything but loopback (start refuses; use an SSH tunnel), change the
 * queue itself (that is the scheduler's {@code QueueControl}, durable before it returns), serve
 * health or metrics yet, or keep the token across restarts (each start makes a new one).
 *
 * <p>Call order: {@code new AdminServer(config, queueControl, dataDir).start()} after the
 * scheduler runs; {@code close()} before it stops. Threading: one virtual thread per request;
 * {@code QueueControl} must be safe for concurrent calls. Failure modes: a non-loopback address
 * or an unbindable port fails {@code start()}; a {@code QueueControl} exception becomes a 500 with
 * a one-line {@code {"error": ...}} (the stack trace goes to the log, never to the client); the
 * CLI turns a missing or stale {@code admin.address} into "no running server found", exit 1.
 * After {@code kill -9} the two files stay behind; the next start overwrites them.
 */
package dev.petrel.admin;
