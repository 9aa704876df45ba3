package dev.petrel.mailauth.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the text of one TXT record as a DMARC policy record (RFC 7489 sections 6.3 and 6.4).
 *
 * <p>How errors are treated, following the RFC:
 * <ul>
 * <li>The first tag must be {@code v=DMARC1}, the value exactly in that case (section 6.3: "MUST
 *     match precisely"); otherwise the TXT record is not a DMARC record at all ({@link NotDmarc})
 *     and policy discovery ignores it. Tag names are case-insensitive (ABNF literals).</li>
 * <li>No valid {@code p} or an invalid {@code sp}: if {@code rua} holds at least one valid URI the
 *     record acts as {@code v=DMARC1; p=none} (its {@code sp} dropped) so that reports still flow;
 *     otherwise the record is {@link Unusable} and no DMARC processing applies (section 6.6.3).</li>
 * <li>Any other malformed value ({@code pct=150}, {@code adkim=x}, a URI without a scheme) is
 *     replaced by the default or dropped, and noted in {@link DmarcRecord#problems} (section 6.3:
 *     "discarded in favor of default values ... or ignored outright").</li>
 * <li>Unknown tags are ignored (section 6.3). A repeated tag keeps its first value; the repeat
 *     is noted as a problem.</li>
 * <li>{@code p} is accepted anywhere after {@code v}. RFC 7489's ABNF puts it second, but
 *     records with {@code rua} before {@code p} are common, large receivers honour them, and
 *     RFC 9989 (DMARCbis) dropped the ordering rule; refusing them would turn a clear
 *     {@code p=reject} into no policy at all.</li>
 * </ul>
 */
public final class DmarcRecordParser {
    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern PERCENT = Pattern.compile("[0-9]{1,3}");
    private static final Pattern INTERVAL = Pattern.compile("[0-9]{1,32}");
    /** The optional size limit after a report URI: {@code !} digits and a unit (section 6.4). */
    private static final Pattern SIZE_LIMIT = Pattern.compile("![0-9]+[kmgtKMGT]?$");
    private static final Pattern FAILURE_OPTION = Pattern.compile("[01dsDS]");
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9-]+");

    /** What one TXT record turned out to be. */
    public sealed interface Parsed {}

    /** A DMARC record that can be applied. */
    public record Valid(DmarcRecord record) implements Parsed {}

    /** Not a DMARC record (does not start with {@code v=DMARC1}): ignore it. */
    public record NotDmarc() implements Parsed {}

    /** A DMARC record that asks for no processing: no valid policy and no valid report address. */
    public record Unusable(String problem) implements Parsed {}

    private DmarcRecordParser() {}

    public static Parsed parse(String text) {
        String[] parts = text.split(";", -1);
        String[] version = tagValue(parts[0]);
        if (version == null || !version[0].equalsIgnoreCase("v") || !version[1].equals("DMARC1")) return new NotDmarc();

        Map<String, String> tags = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isBlank()) continue; // a trailing ";" or ";;"
            String[] tv = tagValue(parts[i]);
            if (tv == null) {
                problems.add("not a tag=value pair: \"" + parts[i].strip() + "\"");
                continue;
            }
            String name = tv[0].toLowerCase(Locale.ROOT);
            if (tags.putIfAbsent(name, tv[1]) != null) problems.add("repeated tag " + name + " ignored");
        }

        List<String> rua = uris(tags.get("rua"), "rua", problems);
        DmarcPolicy policy = policy(tags, "p", problems);
        DmarcPolicy subdomainPolicy = tags.containsKey("sp") ? policy(tags, "sp", problems) : null;
        boolean badSubdomainPolicy = tags.containsKey("sp") && subdomainPolicy == null;
        if (policy == null || badSubdomainPolicy) {
            String what = policy == null ? (tags.containsKey("p") ? "invalid p" : "no p") : "invalid sp";
            if (rua.isEmpty()) return new Unusable(what + " and no valid rua");
            problems.add(what + ": acting as p=none because rua is valid (RFC 7489 section 6.6.3)");
            policy = DmarcPolicy.NONE;
            subdomainPolicy = null;
        }
        return new Valid(new DmarcRecord(policy, subdomainPolicy,
                percent(tags.get("pct"), problems),
                alignment(tags.get("adkim"), "adkim", problems),
                alignment(tags.get("aspf"), "aspf", problems),
                rua, uris(tags.get("ruf"), "ruf", problems),
                failureOptions(tags.get("fo"), problems),
                reportFormats(tags.get("rf"), problems),
                interval(tags.get("ri"), problems),
                problems));
    }

    /** {@code [name, value]} with white space around both trimmed, or null when there is no '=' or the name is malformed. */
    private static String[] tagValue(String part) {
        int eq = part.indexOf('=');
        if (eq < 0) return null;
        String name = part.substring(0, eq).strip();
        if (!TAG_NAME.matcher(name).matches()) return null;
        return new String[] {name, part.substring(eq + 1).strip()};
    }

    private static DmarcPolicy policy(Map<String, String> tags, String tag, List<String> problems) {
        String value = tags.get(tag);
        if (value == null) return null;
        DmarcPolicy p = DmarcPolicy.fromKeyword(value);
        if (p == null) problems.add(tag + "=" + value + " is not none, quarantine or reject");
        return p;
    }

    private static int percent(String value, List<String> problems) {
        if (value == null) return DmarcRecord.DEFAULT_PERCENT;
        if (PERCENT.matcher(value).matches()) {
            int pct = Integer.parseInt(value);
            if (pct <= 100) return pct;
        }
        problems.add("pct=" + value + " is not 0 to 100: using 100");
        return DmarcRecord.DEFAULT_PERCENT;
    }

    private static AlignmentMode alignment(String value, String tag, List<String> problems) {
        if (value == null) return AlignmentMode.RELAXED;
        if (value.equalsIgnoreCase("r")) return AlignmentMode.RELAXED;
        if (value.equalsIgnoreCase("s")) return AlignmentMode.STRICT;
        problems.add(tag + "=" + value + " is not r or s: using r");
        return AlignmentMode.RELAXED;
    }

    /** The valid URIs of a comma-separated {@code rua}/{@code ruf} list (section 6.4: an absolute URI, optionally {@code !size}). */
    private static List<String> uris(String value, String tag, List<String> problems) {
        List<String> out = new ArrayList<>();
        if (value == null) return out;
        for (String item : value.split(",", -1)) {
            String uri = item.strip();
            String withoutSize = SIZE_LIMIT.matcher(uri).replaceFirst("");
            if (isAbsoluteUri(withoutSize)) {
                out.add(uri);
            } else {
                problems.add(tag + " URI \"" + uri + "\" is not valid: ignored");
            }
        }
        return out;
    }

    private static boolean isAbsoluteUri(String text) {
        if (text.isEmpty()) return false;
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && uri.getSchemeSpecificPart() != null && !uri.getSchemeSpecificPart().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static List<String> failureOptions(String value, List<String> problems) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String option : value.split(":", -1)) {
                String o = option.strip().toLowerCase(Locale.ROOT);
                if (FAILURE_OPTION.matcher(o).matches()) {
                    out.add(o);
                } else {
                    problems.add("fo option \"" + option.strip() + "\" is not 0, 1, d or s: ignored");
                }
            }
        }
        return out.isEmpty() ? List.of("0") : out;
    }

    private static List<String> reportFormats(String value, List<String> problems) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String format : value.split(":", -1)) {
                String f = format.strip().toLowerCase(Locale.ROOT);
                if (KEYWORD.matcher(f).matches()) {
                    out.add(f);
                } else {
                    problems.add("rf format \"" + format.strip() + "\" is not a keyword: ignored");
                }
            }
        }
        return out.isEmpty() ? List.of("afrf") : out;
    }

    private static long interval(String value, List<String> problems) {
        if (value == null) return DmarcRecord.DEFAULT_REPORT_INTERVAL;
        if (INTERVAL.matcher(value).matches()) {
            // Up to 32 digits are allowed; anything beyond a long is "very rarely" anyway.
            return value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
        }
        problems.add("ri=" + value + " is not a number of seconds: using 86400");
        return DmarcRecord.DEFAULT_REPORT_INTERVAL;
    }
}
