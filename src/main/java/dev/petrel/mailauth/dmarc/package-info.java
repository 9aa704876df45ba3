/**
 * DMARC (RFC 7489) for received mail: from the SPF and DKIM results of a message, decides whether
 * the RFC5322.From domain was authenticated by an aligned identifier, and what its owner asks a
 * receiver to do when it was not.
 *
 * <p>{@link dev.petrel.mailauth.dmarc.DmarcEvaluator} is the entry point; it uses
 * {@link dev.petrel.mailauth.dmarc.FromDomain} (which domain the From field names),
 * {@link dev.petrel.mailauth.dmarc.PolicyDiscovery} (the {@code _dmarc} TXT record, at the From
 * domain or its {@link dev.petrel.mailauth.dmarc.OrganizationalDomain}),
 * {@link dev.petrel.mailauth.dmarc.DmarcRecordParser} and alignment, and returns a closed
 * {@link dev.petrel.mailauth.dmarc.DmarcResult}.
 *
 * <p>Does not: verify SPF or DKIM (their results come in), decide to reject or quarantine (the
 * result carries the disposition; the server acts on it), send aggregate or failure reports
 * ({@code rua}/{@code ruf} are parsed and kept for that later), or check the external-destination
 * verification records of section 7.1. All DNS goes through {@link dev.petrel.dns.Resolver};
 * DNS failures become {@code temperror}, never exceptions. Depends only on {@code dns},
 * {@code message} (whose {@link dev.petrel.message.AddressList} reads the From field),
 * {@link dev.petrel.mailauth.MailMessage}, the SPF and DKIM result types, and Guava's Public
 * Suffix List.
 */
package dev.petrel.mailauth.dmarc;
