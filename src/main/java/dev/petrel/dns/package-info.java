/**
 * Planned (issue "Relay"): the one {@code Resolver} seam (MX, A/AAAA, TXT, PTR, TLSA) over
 * dnsjava, with a cache and an in-memory twin for tests. Nothing is implemented here yet; no
 * code in Petrel queries DNS today.
 */
package dev.petrel.dns;
