package dev.petrel.mailauth.dkim;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Makes DKIM-Signature fields with arbitrary tags (rsa-sha1, l=, i=, short keys: what DkimSigner
 * rightly refuses to write), from the same building blocks, so the verifier can be shown them.
 */
final class HandSigner {
    private HandSigner() {}

    /**
     * Signs {@code message} with a field made of {@code tags} (without bh= and b=; must hold a=, c=,
     * d=, s=, h= and anything else wanted), adding bh= over the first {@code bodyLength} canonical
     * body octets (-1: all), then b=. Returns the message with the field on top.
     */
    static MailMessage sign(MailMessage message, String tags, DkimAlgorithm algorithm, Canonicalization header,
                            Canonicalization body, List<String> signedHeaders, PrivateKey key, long bodyLength) throws Exception {
        byte[] canonical = body.body(message.bytes(), message.bodyOffset(), message.bodyLength());
        if (bodyLength >= 0) canonical = Arrays.copyOf(canonical, (int) bodyLength);
        String bh = Base64.getEncoder().encodeToString(algorithm.digest(canonical));
        String unsigned = "DKIM-Signature: " + tags + "; bh=" + bh + ";\r\n b=";
        byte[] data = SignedData.of(message.headers(), signedHeaders, null, header, unsigned.getBytes(StandardCharsets.ISO_8859_1));
        String b = Base64.getEncoder().encodeToString(algorithm.sign(key, data));
        HeaderField field = new HeaderField("DKIM-Signature", (unsigned + b + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return message.prepend(List.of(field));
    }
}
