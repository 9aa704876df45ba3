package dev.petrel.mailauth.arc;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;
import dev.petrel.mailauth.dkim.Canonicalization;
import dev.petrel.mailauth.dkim.SignedData;
import dev.petrel.mailauth.dkim.TagList;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds a message's ARC sets and builds what an ARC-Seal signs; shared by the verifier and the sealer. */
final class ArcSets {
    /** RFC 8617 section 4.2.1: instances run from 1 to 50. */
    static final int MAX_INSTANCE = 50;

    private ArcSets() {}

    /** The message's ARC sets, or why they do not form a valid structure. */
    sealed interface Found permits Sets, Broken {}

    /** Sets 1..N in order (empty: the message has no ARC field). */
    record Sets(List<ArcSet> sets) implements Found {}

    /** The fields are there but not as complete, unique, numbered sets. */
    record Broken(String reason, int highestInstance) implements Found {}

    private static final Pattern AAR_INSTANCE = Pattern.compile("^[ \\t\\r\\n]*i[ \\t\\r\\n]*=[ \\t\\r\\n]*([0-9]{1,3})[ \\t\\r\\n]*;");

    static Found of(MailMessage message) {
        Map<Integer, HeaderField[]> byInstance = new HashMap<>();
        int highest = 0;
        String problem = null;
        for (HeaderField field : message.headers()) {
            int slot = field.is(ArcSet.AAR) ? 0 : field.is(ArcSet.AMS) ? 1 : field.is(ArcSet.AS) ? 2 : -1;
            if (slot < 0) continue;
            int instance = instanceOf(field);
            if (instance < 1 || instance > MAX_INSTANCE) {
                if (problem == null) problem = field.name() + " without a valid i= (1 to " + MAX_INSTANCE + ")";
                continue;
            }
            highest = Math.max(highest, instance);
            HeaderField[] set = byInstance.computeIfAbsent(instance, k -> new HeaderField[3]);
            if (set[slot] != null && problem == null) problem = "two " + field.name() + " fields with i=" + instance;
            set[slot] = field;
        }
        if (problem != null) return new Broken(problem, highest);
        List<ArcSet> sets = new ArrayList<>();
        for (int i = 1; i <= highest; i++) {
            HeaderField[] set = byInstance.get(i);
            if (set == null || set[0] == null || set[1] == null || set[2] == null) {
                return new Broken("ARC set i=" + i + " is incomplete (it needs " + ArcSet.AAR + ", " + ArcSet.AMS
                        + " and " + ArcSet.AS + ")", highest);
            }
            sets.add(new ArcSet(i, set[0], set[1], set[2]));
        }
        return new Sets(List.copyOf(sets));
    }

    /** The {@code i=} of an ARC field, or -1. */
    static int instanceOf(HeaderField field) {
        String value = new String(field.raw(), StandardCharsets.ISO_8859_1);
        value = value.substring(value.indexOf(':') + 1);
        String i;
        if (field.is(ArcSet.AAR)) {
            Matcher m = AAR_INSTANCE.matcher(value);
            if (!m.find()) return -1;
            i = m.group(1);
        } else {
            try {
                i = TagList.parse(value).get("i");
            } catch (TagList.SyntaxException e) {
                return -1;
            }
            if (i == null || i.isEmpty() || i.length() > 3 || !i.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
        }
        return Integer.parseInt(i);
    }

    /**
     * What the ARC-Seal of the last of {@code sets} signs (RFC 8617 section 5.1.1): every field of
     * the sets in instance order, each set as AAR, AMS, AS, relaxed canonicalization, the last seal
     * with its b= value removed and without its final CRLF.
     */
    static byte[] sealData(List<ArcSet> sets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = 0; n < sets.size(); n++) {
            ArcSet set = sets.get(n);
            out.writeBytes(Canonicalization.RELAXED.header(set.authenticationResults().raw()));
            out.writeBytes(Canonicalization.RELAXED.header(set.messageSignature().raw()));
            if (n < sets.size() - 1) out.writeBytes(Canonicalization.RELAXED.header(set.seal().raw()));
        }
        byte[] last = Canonicalization.RELAXED.header(SignedData.withoutSignatureValue(sets.getLast().seal().raw()));
        out.write(last, 0, last.length - 2);
        return out.toByteArray();
    }
}
