package dev.petrel.inbox;

import java.security.SecureRandom;

/**
 * Makes inbox message ids: 26 characters of Crockford base32, the first 10 the creation time in
 * milliseconds and the last 16 random, like a ULID. Ids from one generator strictly increase (within
 * a millisecond the random part is incremented), so the id order is the storage order, and an id is
 * a cursor: "every message after this one" is {@code id > cursor}, even after that message is deleted.
 * Not thread-safe: the store's single writer thread owns the generator.
 */
final class MessageIds {
    static final int LENGTH = 26;
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final long MAX_TIME = (1L << 48) - 1;

    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private long randomHigh; // 16 bits
    private long randomLow;  // 64 bits

    /** A generator whose ids sort after {@code newestExisting} (null for an empty store). */
    MessageIds(String newestExisting) {
        if (newestExisting != null && isWellFormed(newestExisting)) {
            // Resume from the newest stored id, so that later ids sort after it even if the clock went back.
            // Characters 10..13 carry 20 bits: the 16 of randomHigh and the top 4 of randomLow;
            // characters 14..25 carry randomLow's other 60 bits.
            long top20 = decode(newestExisting, 10, 14);
            lastMillis = decodeTime(newestExisting);
            randomHigh = top20 >>> 4;
            randomLow = ((top20 & 0xF) << 60) | decode(newestExisting, 14, 26);
        }
    }

    String next(long nowMillis) {
        if (nowMillis > MAX_TIME) throw new IllegalStateException("clock beyond the id range");
        if (nowMillis > lastMillis) {
            lastMillis = nowMillis;
            randomHigh = random.nextInt(1 << 15); // leave head room so increments never overflow in practice
            randomLow = random.nextLong() >>> 1;
        } else {
            // Same millisecond (or the clock stepped back): stay on the last time and count up.
            randomLow++;
            if (randomLow == 0) randomHigh++;
        }
        return encode(lastMillis, randomHigh, randomLow);
    }

    static boolean isWellFormed(String id) {
        if (id == null || id.length() != LENGTH) return false;
        for (int i = 0; i < LENGTH; i++) if (value(id.charAt(i)) < 0) return false;
        return true;
    }

    /** The creation time in epoch milliseconds encoded in {@code id}. */
    static long decodeTime(String id) {
        return decode(id, 0, 10);
    }

    private static String encode(long millis, long high, long low) {
        char[] out = new char[LENGTH];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits: high (16) then low (64), written as 16 base32 digits from the end.
        long lo = low;
        long hi = high;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out);
    }

    private static long decode(String id, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) v = (v << 5) | value(id.charAt(i));
        return v;
    }

    private static int value(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        for (int i = 10; i < ALPHABET.length; i++) if (ALPHABET[i] == c) return i;
        return -1;
    }
}
