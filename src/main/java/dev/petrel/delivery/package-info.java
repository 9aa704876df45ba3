/**
 * Where mail goes and how it gets there: the {@link dev.petrel.delivery.Router} (recipient to
 * {@link dev.petrel.delivery.Route}), MX resolution ({@link dev.petrel.delivery.MxResolver}), and
 * the {@link dev.petrel.delivery.Transport}s: SMTP to MX hosts and relays ({@code delivery.smtp}),
 * LMTP, and local Maildir ({@code delivery.local}, via {@link dev.petrel.delivery.LocalDelivery}).
 * MTA-STS policies of recipient domains ({@code delivery.mtasts}) are applied by the SMTP transport
 * to MX delivery only.
 *
 * <p>Does not: decide when to try (that is the scheduler in {@code queue}), record outcomes
 * (the scheduler does, before acting on them), or build bounces ({@code dsn}). A transport turns
 * every failure of the destination into a per-recipient {@link dev.petrel.message.DeliveryStatus};
 * it never throws for them.
 */
package dev.petrel.delivery;
