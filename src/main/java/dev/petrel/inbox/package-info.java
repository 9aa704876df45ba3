/**
 * Capture mode's inbox: a durable store of captured messages with search and wait-for.
 *
 * <p>{@link dev.petrel.inbox.InboxStore} keeps messages in SQLite (one file, WAL, fsync per group
 * commit): raw bytes, what the MIME says (read with mime4j), and the
 * session facts the capture transport passes in ({@link dev.petrel.inbox.SessionFacts}). Ids are
 * sortable and double as wait-for cursors. Retention drops messages by count and by age. Listeners
 * hear of every committed change (live views); {@link dev.petrel.inbox.InboxStore#await} waits for a
 * matching message without polling.
 *
 * <p>Not here: the capture transport and its grouping rules (which inbox a message goes to),
 * config, and the JUnit helper. The search language is in {@code inbox.search}; the HTTP API, its
 * live events and the web UI (static files under {@code src/main/resources/inbox/ui/}) in
 * {@code inbox.api}.
 *
 * <p>Failure: database errors surface as {@link dev.petrel.inbox.InboxStoreException}; a failed
 * write is never reported as stored. Malformed MIME is not an error: what cannot be read is empty.
 */
package dev.petrel.inbox;
