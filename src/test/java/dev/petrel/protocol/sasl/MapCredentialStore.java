package dev.petrel.protocol.sasl;

import dev.petrel.auth.ScramCredentials;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** In-memory users for mechanism tests: plain passwords plus SCRAM verifiers derived from them. */
final class MapCredentialStore implements CredentialStore {
    private final Map<String, String> passwords = new HashMap<>();
    private final Map<String, ScramCredential> scram = new HashMap<>();

    MapCredentialStore with(String user, String password) {
        passwords.put(user, password);
        scram.put(user, ScramCredentials.derive(password));
        return this;
    }

    MapCredentialStore withScram(String user, ScramCredential credential) {
        scram.put(user, credential);
        return this;
    }

    @Override
    public boolean verifyPassword(String username, String password) {
        return password.equals(passwords.get(username));
    }

    @Override
    public Optional<ScramCredential> scramSha256(String username) {
        return Optional.ofNullable(scram.get(username));
    }
}
