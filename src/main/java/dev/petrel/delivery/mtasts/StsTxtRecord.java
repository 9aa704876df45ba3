package dev.petrel.delivery.mtasts;

import dev.petrel.dns.DnsResult;
import dev.petrel.dns.Resolver;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts.<domain>} TXT record (RFC 8461 section 3.1): {@code v=STSv1; id=...;}.
 * Records that do not start with {@code v=STSv1} are someone else's and ignored; exactly one must
 * remain, with an {@code id} of 1 to 32 letters and digits. Other fields are extensions and ignored.
 */
public final class StsTxtRecord {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");

    private StsTxtRecord() {}

    /** What DNS said about a domain's MTA-STS record. */
    public sealed interface Discovery {
        /** One valid record: its policy id. */
        record Found(String id) implements Discovery {}

        /** No record, several, or a broken one: the domain has no (usable) MTA-STS record. */
        record Absent(String why) implements Discovery {}

        /** DNS failed; a cached policy keeps applying. */
        record TempFail(String reason) implements Discovery {}
    }

    public static Discovery lookup(Resolver dns, String domain) {
        return switch (dns.txt("_mta-sts." + domain)) {
            case DnsResult.Found<String> found -> {
                try {
                    yield new Discovery.Found(idOf(found.records()));
                } catch (InvalidPolicyException e) {
                    yield new Discovery.Absent(e.getMessage());
                }
            }
            case DnsResult.NoData<String> nodata -> new Discovery.Absent("no TXT record at _mta-sts." + domain);
            case DnsResult.NxDomain<String> nx -> new Discovery.Absent("no TXT record at _mta-sts." + domain);
            case DnsResult.TempFail<String> fail -> new Discovery.TempFail(fail.reason());
        };
    }

    /** The id of the one STSv1 record among {@code records}. */
    static String idOf(List<String> records) throws InvalidPolicyException {
        List<String> sts = records.stream().filter(StsTxtRecord::isSts).toList();
        if (sts.isEmpty()) throw new InvalidPolicyException("no TXT record starts with v=STSv1");
        if (sts.size() > 1) throw new InvalidPolicyException(sts.size() + " TXT records start with v=STSv1; RFC 8461 needs exactly one");
        String id = null;
        String[] fields = sts.getFirst().split(";", -1);
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.isEmpty()) continue; // a trailing ";"
            int eq = field.indexOf('=');
            if (eq <= 0) throw new InvalidPolicyException("TXT record field without \"=\": " + StsPolicyParser.shorten(field));
            String key = field.substring(0, eq).strip();
            String value = field.substring(eq + 1).strip();
            if (!key.equals("id")) continue; // an extension
            if (id != null) throw new InvalidPolicyException("TXT record has id twice");
            if (!ID.matcher(value).matches()) {
                throw new InvalidPolicyException("TXT record id is not 1 to 32 letters and digits: " + StsPolicyParser.shorten(value));
            }
            id = value;
        }
        if (id == null) throw new InvalidPolicyException("TXT record v=STSv1 has no id");
        return id;
    }

    /** "v=STSv1" as the first field, with optional spaces around "=" (RFC 8461 uses *WSP between fields). */
    private static boolean isSts(String record) {
        String first = record.split(";", 2)[0].strip();
        int eq = first.indexOf('=');
        return eq > 0 && first.substring(0, eq).strip().equals("v") && first.substring(eq + 1).strip().equals("STSv1");
    }
}
