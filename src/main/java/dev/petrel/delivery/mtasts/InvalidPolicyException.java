package dev.petrel.delivery.mtasts;

/** A policy text, TXT record or cache file that does not follow RFC 8461; the message says which rule it broke. */
public final class InvalidPolicyException extends Exception {
    public InvalidPolicyException(String message) {
        super(message, null, false, false);
    }
}
