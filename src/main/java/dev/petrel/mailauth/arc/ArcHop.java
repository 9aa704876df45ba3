package dev.petrel.mailauth.arc;

/**
 * What one ARC intermediary says about a message: who sealed instance {@code instance}, and the
 * DMARC result it recorded in its ARC-Authentication-Results. Only worth anything when the chain
 * validates ({@link ArcResult.Kind#PASS}), and then only as far as the sealer is trusted.
 *
 * @param instance the {@code i=} of the set
 * @param sealer   the ARC-Seal's {@code d=}, lower case
 * @param dmarc    the {@code dmarc=} result in the set's ARC-Authentication-Results (lower case),
 *                 or null when it recorded none or could not be read
 */
public record ArcHop(int instance, String sealer, String dmarc) {
}
