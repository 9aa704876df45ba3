package dev.petrel.protocol.sasl;

import java.util.Optional;

/**
 * The seam between SASL mechanisms and wherever users are kept. Implementations must be safe to
 * call from many threads. Neither method may log a password.
 */
public interface CredentialStore {
    /**
     * True when {@code username} exists and {@code password} is its password. Takes about the same
     * time for unknown users as for known ones, so timing does not reveal which users exist.
     */
    boolean verifyPassword(String username, String password);

    /** The stored SCRAM-SHA-256 verifier of {@code username}, if the user exists and has one. */
    Optional<ScramCredential> scramSha256(String username);

    /** RFC 5802 stored verifier: never the password, and not enough to log in with PLAIN. */
    record ScramCredential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {}
}
