/**
 * Planned (issue "Mail authentication"): SPF, DKIM, DMARC and ARC evaluation and DKIM signing,
 * and the {@code Authentication-Results} header. Will depend only on {@code dns} and
 * {@code message}. Nothing is implemented here yet.
 */
package dev.petrel.mailauth;
