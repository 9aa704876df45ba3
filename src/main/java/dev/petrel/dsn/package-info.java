/**
 * Planned (issue "Relay"): RFC 3464 delivery status notifications (bounces and delay notices),
 * built from the DSN parameters the session already keeps in each envelope. Nothing is
 * implemented here yet.
 */
package dev.petrel.dsn;
