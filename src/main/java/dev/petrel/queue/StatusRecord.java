package dev.petrel.queue;

import dev.petrel.message.DeliveryStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One line of a message's delivery status log, the durable record of what the scheduler did.
 * Lines are tab-separated; the first field says what happened:
 * <pre>
 * D|F|T  index  millis  dsn  relay  reply   recipient #index delivered / failed for good / deferred
 * R      millis  attempts                   next try at millis, after this many rounds
 * H / U  millis                             held / released by the operator
 * W      millis                             the delay notice was queued
 * N      millis  [index,index...]           the failure notice (bounce) for these recipients was queued
 *                                           (no list, as older logs have it: for every recipient failed so far)
 * </pre>
 * Unknown or malformed lines are skipped when read, so an older Petrel can read a newer log.
 */
sealed interface StatusRecord {
    record Outcome(int index, Instant at, DeliveryStatus.Outcome outcome, String dsn, String relay, String reply)
            implements StatusRecord {}

    record Retry(Instant next, int attempts) implements StatusRecord {}

    record Held(boolean held) implements StatusRecord {}

    record DelayNoticeSent() implements StatusRecord {}

    /** @param indexes the recipients the bounce reported, or null for every recipient failed so far */
    record BounceSent(List<Integer> indexes) implements StatusRecord {}

    static String outcome(int index, Instant at, DeliveryStatus s) {
        String kind = switch (s.outcome()) {
            case DELIVERED -> "D";
            case PERMANENT_FAILURE -> "F";
            case TEMPORARY_FAILURE -> "T";
        };
        return String.join("\t", kind, Integer.toString(index), Long.toString(at.toEpochMilli()), clean(s.dsn()),
                clean(s.relay()), clean(s.reply()));
    }

    static String retry(Instant next, int attempts) {
        return "R\t" + next.toEpochMilli() + "\t" + attempts;
    }

    static String held(boolean held, Instant at) {
        return (held ? "H\t" : "U\t") + at.toEpochMilli();
    }

    static String delayNoticeSent(Instant at) {
        return "W\t" + at.toEpochMilli();
    }

    static String bounceSent(Instant at, List<Integer> indexes) {
        return "N\t" + at.toEpochMilli() + "\t" + indexes.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Parses a line; null for lines this version does not understand. */
    static StatusRecord parse(String line) {
        String[] f = line.split("\t", 6);
        try {
            return switch (f[0]) {
                case "D", "F", "T" -> f.length < 6 ? null : new Outcome(Integer.parseInt(f[1]),
                        Instant.ofEpochMilli(Long.parseLong(f[2])),
                        f[0].equals("D") ? DeliveryStatus.Outcome.DELIVERED
                                : f[0].equals("F") ? DeliveryStatus.Outcome.PERMANENT_FAILURE
                                : DeliveryStatus.Outcome.TEMPORARY_FAILURE,
                        f[3], f[4], f[5]);
                case "R" -> f.length < 3 ? null : new Retry(Instant.ofEpochMilli(Long.parseLong(f[1])), Integer.parseInt(f[2]));
                case "H" -> new Held(true);
                case "U" -> new Held(false);
                case "W" -> new DelayNoticeSent();
                case "N" -> new BounceSent(f.length < 3 ? null : indexes(f[2]));
                default -> null;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<Integer> indexes(String field) {
        List<Integer> out = new ArrayList<>();
        for (String i : field.strip().split(",")) if (!i.isEmpty()) out.add(Integer.parseInt(i.strip()));
        return out;
    }

    /** Remote replies are kept verbatim except for the characters that would break the line format. */
    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }
}
