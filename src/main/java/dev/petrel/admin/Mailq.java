package dev.petrel.admin;

import dev.petrel.queue.QueueControl.QueueEntry;
import dev.petrel.queue.QueueControl.RecipientState;
import dev.petrel.queue.QueueControl.State;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders the queue the way Postfix's {@code mailq} does, so eyes and scripts used to it keep
 * working: one header, per message a line {@code ID[!] SIZE ARRIVAL SENDER} ({@code !} = held),
 * then each undelivered recipient indented, below its last error in parentheses (the error is
 * printed once for consecutive recipients sharing it, right-aligned like Postfix's), a blank line
 * between messages, and a {@code -- N Kbytes in M Requests.} total.
 */
final class Mailq {
    private static final DateTimeFormatter ARRIVAL = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss", Locale.US);
    /** Postfix indents recipients by a fixed 41 columns whatever the queue id length. */
    private static final String RECIPIENT_INDENT = " ".repeat(41);

    private Mailq() {}

    static String format(List<QueueEntry> entries, ZoneId zone) {
        if (entries.isEmpty()) return "Mail queue is empty\n";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-17s%8s %20s %s\n", "-Queue ID-", "--Size--",
                "----Arrival Time----", "-Sender/Recipient-------"));
        long bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            QueueEntry e = entries.get(i);
            if (i > 0) out.append('\n');
            bytes += e.size();
            String sender = e.sender() == null || e.sender().isEmpty() ? "MAILER-DAEMON" : printable(e.sender());
            out.append(String.format(Locale.ROOT, "%-16s%c%8d %s  %s\n", e.id().value(), e.held() ? '!' : ' ',
                    e.size(), ARRIVAL.format(e.arrival().atZone(zone)), sender));
            // Like Postfix: recipients with a reason first, so a reason never seems to cover one without.
            List<RecipientState> shown = e.recipients().stream()
                    .filter(r -> r.state() != State.DELIVERED)
                    .sorted(Comparator.comparing((RecipientState r) -> r.lastError() == null))
                    .toList();
            String lastReason = null;
            for (RecipientState r : shown) {
                if (r.lastError() != null) {
                    String reason = printable(r.lastError());
                    if (!reason.equals(lastReason)) {
                        out.append(" ".repeat(Math.max(0, 76 - reason.length()))).append('(').append(reason).append(")\n");
                        lastReason = reason;
                    }
                }
                out.append(RECIPIENT_INDENT).append(printable(r.recipient())).append('\n');
            }
        }
        // Postfix truncates (a small queue shows "0 Kbytes"); rounding up never shows a non-empty queue as 0.
        long kbytes = (bytes + 1023) / 1024;
        out.append(String.format(Locale.ROOT, "\n-- %d Kbytes in %d Request%s.\n", kbytes, entries.size(),
                entries.size() == 1 ? "" : "s"));
        return out.toString();
    }

    /** One line of text: multi-line SMTP replies are joined, other control characters become '?'. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        String joined = s.strip().replaceAll("\\s*\\R\\s*", " ");
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
