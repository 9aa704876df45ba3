/**
 * Local delivery: mail for users of the local domains ({@link dev.petrel.delivery.Route.Local}).
 *
 * <p>Does: {@link dev.petrel.delivery.local.MaildirTransport} writes one file per recipient into
 * {@code <local.maildir_root>/<mailbox>/new/} by the Maildir rules (write in {@code tmp/}, fsync,
 * rename into {@code new/}, fsync {@code new/}), with {@code Return-Path:} and
 * {@code Delivered-To:} prepended, and refuses forwarding loops (5.4.6). LMTP delivery to an
 * external store such as Dovecot ({@code local.lmtp}) lives beside it as {@code LmtpTransport}.
 *
 * <p>Does not: decide which local parts exist or which mailboxes an alias reaches (that is
 * {@link dev.petrel.policy.LocalRecipients}, used at RCPT and by the router), run filters
 * (Sieve) or enforce quotas, or log per recipient (the scheduler logs each status).
 *
 * <p>Failure modes: every problem of the mailbox or the disk (permissions, a full disk, a missing
 * directory) is a temporary failure (4.2.0, 4.3.0 for a full disk) so the queue retries; an
 * unusable mailbox name from the config is 4.3.5; only a loop is permanent. A failed delivery
 * never leaves a partial file in {@code new/}. Transports are thread-safe.
 */
package dev.petrel.delivery.local;
