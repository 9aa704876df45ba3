package dev.petrel.protocol;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The service extensions a server announced in its EHLO (or LHLO) reply, as far as Petrel's
 * client uses them. Unknown keywords are ignored; a malformed parameter (e.g. {@code SIZE abc})
 * counts as the keyword without its parameter rather than as an error, since a server that
 * mis-spells an extension can still take mail.
 *
 * @param pipelining          PIPELINING (RFC 2920)
 * @param size                SIZE was announced (RFC 1870)
 * @param sizeLimit           the SIZE limit in bytes; 0 when none was given or SIZE is absent
 * @param eightBitMime        8BITMIME (RFC 6152)
 * @param smtpUtf8            SMTPUTF8 (RFC 6531)
 * @param startTls            STARTTLS (RFC 3207)
 * @param authMechanisms      AUTH mechanisms in upper case (RFC 4954), empty when AUTH is absent
 * @param chunking            CHUNKING (RFC 3030)
 * @param dsn                 DSN (RFC 3461)
 * @param enhancedStatusCodes ENHANCEDSTATUSCODES (RFC 2034)
 */
public record EhloCapabilities(boolean pipelining, boolean size, long sizeLimit, boolean eightBitMime,
                               boolean smtpUtf8, boolean startTls, Set<String> authMechanisms, boolean chunking,
                               boolean dsn, boolean enhancedStatusCodes) {
    public EhloCapabilities {
        authMechanisms = Set.copyOf(authMechanisms);
    }

    /** What a server that answered HELO (or an EHLO reply with no keywords) offers: nothing. */
    public static EhloCapabilities none() {
        return new EhloCapabilities(false, false, 0, false, false, false, Set.of(), false, false, false);
    }

    /**
     * Reads the keywords of a positive EHLO reply; its first line is the server's greeting name,
     * every further line one keyword with optional parameters.
     */
    public static EhloCapabilities parse(ClientReply ehlo) {
        boolean pipelining = false, size = false, eightBit = false, utf8 = false, startTls = false;
        boolean chunking = false, dsn = false, enhanced = false;
        long sizeLimit = 0;
        Set<String> auth = new LinkedHashSet<>();
        List<String> texts = ehlo.texts();
        for (String text : texts.subList(1, texts.size())) {
            // "AUTH=PLAIN LOGIN" is the pre-RFC 4954 form some servers still send beside "AUTH".
            String[] words = text.trim().split("[ =]+");
            if (words.length == 0 || words[0].isEmpty()) continue;
            switch (words[0].toUpperCase(Locale.ROOT)) {
                case "PIPELINING" -> pipelining = true;
                case "SIZE" -> {
                    size = true;
                    sizeLimit = words.length > 1 ? parseSize(words[1]) : 0;
                }
                case "8BITMIME" -> eightBit = true;
                case "SMTPUTF8" -> utf8 = true;
                case "STARTTLS" -> startTls = true;
                case "AUTH" -> {
                    for (int i = 1; i < words.length; i++) auth.add(words[i].toUpperCase(Locale.ROOT));
                }
                case "CHUNKING" -> chunking = true;
                case "DSN" -> dsn = true;
                case "ENHANCEDSTATUSCODES" -> enhanced = true;
                default -> { }
            }
        }
        return new EhloCapabilities(pipelining, size, sizeLimit, eightBit, utf8, startTls, auth, chunking, dsn,
                enhanced);
    }

    private static long parseSize(String word) {
        try {
            return Math.max(0, Long.parseLong(word));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
