package dev.petrel.mailauth.dkim;

import dev.petrel.mailauth.MailMessage.HeaderField;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The header data a DKIM signature covers (RFC 6376 sections 3.7 and 5.4.2), built the same way
 * by the signer and the verifier (and by ARC, whose signatures are made alike): the fields named in
 * {@code h=}, each taken from the bottom up, canonicalized, then the signature field itself with
 * the value of its {@code b=} tag removed and without its final CRLF.
 */
public final class SignedData {
    private SignedData() {}

    /**
     * The bytes to hash and sign.
     *
     * @param headers          the message's header fields, top to bottom
     * @param signedNames      the names of {@code h=}, in order (case-insensitive; a name listed more
     *                         often than it occurs contributes nothing for the extra times)
     * @param exclude          a field never to select (the signature field being verified), or null
     * @param canonicalization the header canonicalization of {@code c=}
     * @param signatureField   the signature field as it appears in the message (b= may hold a value; it is removed)
     */
    public static byte[] of(List<HeaderField> headers, List<String> signedNames, HeaderField exclude,
                            Canonicalization canonicalization, byte[] signatureField) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean[] used = new boolean[headers.size()];
        for (String name : signedNames) {
            for (int i = headers.size() - 1; i >= 0; i--) {
                HeaderField field = headers.get(i);
                if (used[i] || field == exclude || !field.is(name)) continue;
                used[i] = true;
                out.writeBytes(canonicalization.header(field.raw()));
                break;
            }
        }
        byte[] self = canonicalization.header(withoutSignatureValue(signatureField));
        out.write(self, 0, self.length - 2); // without the CRLF
        return out.toByteArray();
    }

    /**
     * The field with the value of its {@code b=} tag deleted, with the white space around it (RFC
     * 6376 section 3.7), and without its final line ending: the rest stays byte for byte. Tags are
     * found by splitting the value at semicolons, which cannot occur inside a tag value.
     */
    public static byte[] withoutSignatureValue(byte[] field) {
        String text = new String(field, StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("not a header field: no colon");
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, colon + 1);
        int pos = colon + 1;
        while (pos <= text.length()) {
            int semicolon = text.indexOf(';', pos);
            int end = semicolon < 0 ? text.length() : semicolon;
            String spec = text.substring(pos, end);
            int equals = spec.indexOf('=');
            if (equals >= 0 && spec.substring(0, equals).strip().equals("b")) {
                out.append(spec, 0, equals + 1);
            } else if (semicolon < 0) {
                out.append(stripLineEnd(spec));
            } else {
                out.append(spec);
            }
            if (semicolon < 0) break;
            out.append(';');
            pos = semicolon + 1;
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String stripLineEnd(String s) {
        if (s.endsWith("\r\n")) return s.substring(0, s.length() - 2);
        if (s.endsWith("\n")) return s.substring(0, s.length() - 1);
        return s;
    }
}
