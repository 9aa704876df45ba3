package dev.petrel.message;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The name of a queued message, unique on this host and safe as a file name: 16 characters of
 * [0-9A-Za-z]. The first nine encode the time of creation in milliseconds (base 62) so that ids
 * sort roughly by arrival, like Postfix's long queue ids; the rest are random.
 */
public record QueueId(String value) implements Comparable<QueueId> {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern FORMAT = Pattern.compile("[0-9A-Za-z]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public QueueId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a queue id: " + value);
        }
    }

    /** A fresh id for a message created at {@code epochMillis}. */
    public static QueueId generate(long epochMillis) {
        char[] out = new char[16];
        long t = epochMillis;
        for (int i = 8; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) Math.floorMod(t, 62L));
            t = Math.floorDiv(t, 62L);
        }
        for (int i = 9; i < 16; i++) {
            out[i] = ALPHABET.charAt(RANDOM.nextInt(62));
        }
        return new QueueId(new String(out));
    }

    public static boolean isValid(String s) {
        return s != null && FORMAT.matcher(s).matches();
    }

    @Override
    public int compareTo(QueueId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
