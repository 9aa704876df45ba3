package dev.petrel.mailauth.arc;

import dev.petrel.mailauth.MailMessage.HeaderField;

/** The three fields of one ARC instance (RFC 8617 section 4.1). */
record ArcSet(int instance, HeaderField authenticationResults, HeaderField messageSignature, HeaderField seal) {
    static final String AAR = "ARC-Authentication-Results";
    static final String AMS = "ARC-Message-Signature";
    static final String AS = "ARC-Seal";
}
