package dev.petrel.protocol.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Text rules shared by the mechanisms: strict UTF-8 and the "SASLprep-lite" name check. */
final class SaslText {
    private SaslText() {}

    /** Decodes strict UTF-8, or returns null: a lenient decoder would turn garbage into U+FFFD names. */
    static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * True when {@code name} can be a user name: not empty and free of control characters. Full
     * SASLprep (RFC 4013) also maps and normalises; user names here are plain ASCII-ish, so
     * rejecting what can never be a name is enough.
     */
    static boolean isAcceptableName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        return name.codePoints().noneMatch(cp -> Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029);
    }
}
