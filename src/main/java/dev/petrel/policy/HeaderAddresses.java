package dev.petrel.policy;

import dev.petrel.message.AddressList;
import dev.petrel.message.MailAddress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the From: header field(s) of a header section, unfolds them and returns their mailbox
 * addresses, in order, across several From: fields. Reading each field body is
 * {@link AddressList}'s job (RFC 5322 address-list with the obsolete syntax real mail still uses;
 * display names, including encoded words, are never taken for addresses).
 *
 * <p>Strict where it matters for {@link SenderPolicy}: a From: field that is not clearly an address
 * list (a bare word, an unclosed {@code <}, a stray {@code >}) throws {@link IllegalArgumentException},
 * so that an address a mail client might show can never slip past the check unseen.
 */
public final class HeaderAddresses {
    private HeaderAddresses() {}

    /**
     * The addresses of every From: field in a header section (the bytes up to the empty line; a
     * missing empty line is fine). Empty when there is no From: field or it is an empty group.
     */
    public static List<MailAddress> from(byte[] headerSection) {
        List<MailAddress> out = new ArrayList<>();
        for (String field : unfoldedFields(new String(headerSection, StandardCharsets.UTF_8))) {
            int colon = field.indexOf(':');
            if (colon < 0) continue;
            // obs-optional allows white space between the name and the colon.
            if (field.substring(0, colon).strip().equalsIgnoreCase("from")) out.addAll(AddressList.parse(field.substring(colon + 1)));
        }
        return out;
    }

    /** The header fields, each with its continuation lines joined (CRLF removed, the white space kept). */
    static List<String> unfoldedFields(String headers) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : headers.split("\n", -1)) {
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) break; // end of the header section
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line);
            } else {
                if (current != null) fields.add(current.toString());
                current = new StringBuilder(line);
            }
        }
        if (current != null) fields.add(current.toString());
        return fields;
    }
}
