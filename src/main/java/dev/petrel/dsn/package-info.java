/**
 * Delivery status notifications: bounces, delay notices and success reports (RFC 3464 in an
 * RFC 6522 {@code multipart/report}, RFC 6533 for internationalized addresses), chosen by the
 * NOTIFY and RET parameters of RFC 3461 that the session keeps in each {@code Envelope}.
 *
 * <p>Call order, for whoever finishes with a message's recipients (the scheduler):
 * <ol>
 *   <li>make a {@link dev.petrel.dsn.DsnEntry} per recipient to report on, with its last
 *       {@code DeliveryStatus} and the {@link dev.petrel.dsn.Action};</li>
 *   <li>{@link dev.petrel.dsn.NotifyPolicy#select} keeps those whose recipients asked for that
 *       notice, and none at all for a message from {@code <>};</li>
 *   <li>{@link dev.petrel.dsn.BounceBuilder#build} makes the {@link dev.petrel.dsn.Bounce}: an
 *       envelope from {@code <>} to the original sender, and the message bytes.
 *       {@link dev.petrel.dsn.BounceBuilder#notice} does both steps.</li>
 * </ol>
 *
 * <p>Does not: queue, send, retry or log. The caller queues the result like any other message
 * (durably, before it records the recipients as reported), and the usual transports carry it.
 * Holds no state and no clock: the time comes in as an argument, so it is pure and thread-safe.
 *
 * <p>Failure modes: a null sender or no entries is a caller bug and throws
 * {@code IllegalArgumentException}. Odd input never yields a malformed notice: control
 * characters in replies are replaced, long lines are folded, and an original that cannot be
 * carried unchanged is reduced to its headers or left out.
 */
package dev.petrel.dsn;
