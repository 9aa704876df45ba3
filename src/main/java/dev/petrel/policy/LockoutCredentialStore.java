package dev.petrel.policy;

import dev.petrel.protocol.sasl.CredentialStore;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Makes every AUTH attempt at a locked-out user name fail, even with the right password, while
 * looking exactly like a wrong password: the real check still runs (same timing), and a SCRAM
 * client still gets the user's real salt and iteration count, so neither an existing nor a
 * missing user changes its answers when locked, and a locked name never confirms a guess (SCRAM's
 * server signature is only sent after a correct proof, which a blanked key cannot match).
 */
public final class LockoutCredentialStore implements CredentialStore {
    private final CredentialStore delegate;
    private final Predicate<String> locked;

    /** @param locked true for a user name that may not authenticate now */
    public LockoutCredentialStore(CredentialStore delegate, Predicate<String> locked) {
        this.delegate = delegate;
        this.locked = locked;
    }

    @Override
    public boolean verifyPassword(String username, String password) {
        boolean ok = delegate.verifyPassword(username, password);
        return ok && !locked.test(username);
    }

    @Override
    public Optional<ScramCredential> scramSha256(String username) {
        Optional<ScramCredential> found = delegate.scramSha256(username);
        if (found.isEmpty() || !locked.test(username)) return found;
        ScramCredential c = found.get();
        // SHA-256 of the client key can never be all zeros in practice, so every proof fails.
        return Optional.of(new ScramCredential(c.salt(), c.iterations(), new byte[c.storedKey().length], c.serverKey()));
    }
}
