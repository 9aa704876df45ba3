package dev.petrel.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format that libargon2 prints:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded standard base64).
 *
 * <p>New hashes use this hasher's parameters (default: OWASP's m=19 MiB, t=2, p=1). {@link #verify}
 * uses the parameters written in the string, so they can be raised later without breaking old
 * hashes. Thread-safe.
 */
public final class PasswordHasher {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    // Bounds on what verify() will compute, so a mistyped m or t cannot hang the server.
    private static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
    private static final int MAX_ITERATIONS = 1000;
    private static final int MAX_PARALLELISM = 255;

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;

    public PasswordHasher() {
        this(19456, 2, 1);
    }

    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        check(new Params(memoryKib, iterations, parallelism));
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /** A fresh PHC string for {@code password} with a random 16-byte salt and a 32-byte hash. */
    public String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Params params = new Params(memoryKib, iterations, parallelism);
        byte[] hash = argon2(password, salt, params, 32);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** True when {@code password} matches {@code encoded}; false too when {@code encoded} is not a valid hash. */
    public boolean verify(String password, String encoded) {
        if (password == null || encoded == null) {
            return false;
        }
        Parsed parsed;
        try {
            parsed = parse(encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = argon2(password, parsed.salt, parsed.params, parsed.hash.length);
        return MessageDigest.isEqual(actual, parsed.hash);
    }

    /**
     * Throws IllegalArgumentException saying what is wrong when {@code encoded} is not an Argon2id
     * PHC string this class can verify. The message never repeats the hash.
     */
    public static void checkFormat(String encoded) {
        parse(encoded);
    }

    private record Params(int memoryKib, int iterations, int parallelism) {}

    private record Parsed(Params params, byte[] salt, byte[] hash) {}

    private static Parsed parse(String encoded) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 6 || !parts[0].isEmpty()) {
            throw new IllegalArgumentException("expected $argon2id$v=19$m=...,t=...,p=...$salt$hash");
        }
        if (!parts[1].equals("argon2id")) {
            throw new IllegalArgumentException("only argon2id hashes are supported, not '" + parts[1] + "'");
        }
        if (!parts[2].equals("v=19")) {
            throw new IllegalArgumentException("only Argon2 version 19 (v=19) is supported");
        }
        String[] kv = parts[3].split(",", -1);
        if (kv.length != 3 || !kv[0].startsWith("m=") || !kv[1].startsWith("t=") || !kv[2].startsWith("p=")) {
            throw new IllegalArgumentException("parameters must be m=<KiB>,t=<passes>,p=<lanes>");
        }
        Params params = new Params(number(kv[0].substring(2)), number(kv[1].substring(2)), number(kv[2].substring(2)));
        check(params);
        byte[] salt;
        byte[] hash;
        try {
            salt = Base64.getDecoder().decode(parts[4]);
            hash = Base64.getDecoder().decode(parts[5]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("salt or hash is not valid base64");
        }
        if (salt.length < 8) {
            throw new IllegalArgumentException("salt is shorter than 8 bytes");
        }
        if (hash.length < 4 || hash.length > 1024) {
            throw new IllegalArgumentException("hash must be 4 to 1024 bytes long");
        }
        return new Parsed(params, salt, hash);
    }

    private static int number(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("parameter '" + s + "' is not a number");
        }
        return Integer.parseInt(s);
    }

    private static void check(Params p) {
        if (p.parallelism < 1 || p.parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("p must be 1 to " + MAX_PARALLELISM);
        }
        if (p.iterations < 1 || p.iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("t must be 1 to " + MAX_ITERATIONS);
        }
        if (p.memoryKib < 8 * p.parallelism || p.memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("m must be 8*p to " + MAX_MEMORY_KIB + " KiB");
        }
    }

    private static byte[] argon2(String password, byte[] salt, Params p, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(p.memoryKib)
                .withIterations(p.iterations)
                .withParallelism(p.parallelism)
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
