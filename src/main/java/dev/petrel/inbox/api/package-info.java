/**
 * The inbox HTTP API: Mailpit's {@code /api/v1} paths and JSON field names over an
 * {@link dev.petrel.inbox.InboxStore}, plus Petrel's wait-for ({@code GET /api/v1/wait}) and an
 * OpenAPI document at {@code /api/v1/openapi.yaml}, the store's changes as server-sent events
 * ({@code GET /api/v1/events}, {@link dev.petrel.inbox.api.LiveEvents}), and the web UI at {@code /}
 * (static files from {@code /inbox/ui/}, {@link dev.petrel.inbox.api.UiRoutes}). Entry point: {@link dev.petrel.inbox.api.InboxServer#start}.
 *
 * <p>Rules it keeps: no GET changes state (fetching a message does not mark it read; use
 * {@code PUT /api/v1/messages}); a delete with an empty body, empty IDs, malformed JSON or an empty
 * query is refused with 400 and deletes nothing (Mailpit would delete everything). Errors are
 * {@code text/plain}. A live-events client that stops reading is dropped, never waited for: the
 * store's writer thread only offers to bounded per-client queues. It does not authenticate or speak TLS: bind it to loopback
 * or put it behind something that does.
 */
package dev.petrel.inbox.api;
