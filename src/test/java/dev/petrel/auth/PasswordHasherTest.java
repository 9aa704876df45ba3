package dev.petrel.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(64, 1, 1); // cheap for tests

    // Made by the reference implementation (Debian package argon2 0~20171227):
    //   echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -e
    private static final String REFERENCE_64MIB =
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    //   echo -n pencil | argon2 saltsaltsaltsalt -id -t 2 -k 19456 -p 1 -e   (Petrel's default parameters)
    private static final String REFERENCE_DEFAULT =
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$kJa3764BDCbRaqsA6kPR946Pw83dbuP/beG+9z5NRwk";

    @Test
    void verifiesHashesFromTheReferenceImplementation() {
        assertThat(hasher.verify("password", REFERENCE_64MIB)).isTrue();
        assertThat(hasher.verify("passwore", REFERENCE_64MIB)).isFalse();
        assertThat(hasher.verify("pencil", REFERENCE_DEFAULT)).isTrue();
        assertThat(hasher.verify("Pencil", REFERENCE_DEFAULT)).isFalse();
    }

    @Test
    void defaultHashesLookLikeLibargon2sAndVerify() {
        String hash = new PasswordHasher().hash("correct horse");
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("correct horse", hash)).isTrue();
        assertThat(hasher.verify("correct horse ", hash)).isFalse();
    }

    @Test
    void saltsAreRandom() {
        assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plaintext", "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$t=1,m=64,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=64,t=1,p=1$c29t$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$!!!"})
    void malformedHashesNeverVerifyAndSayWhy(String encoded) {
        assertThat(hasher.verify("password", encoded)).isFalse();
        assertThatThrownBy(() -> PasswordHasher.checkFormat(encoded))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("CTFhFd");
    }
}
