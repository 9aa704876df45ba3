package dev.petrel.junit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * wasSignedBy's reading of the API's Authentication object, for the cases an in-process test cannot
 * easily produce: mail from outside judged by Petrel's own Authentication-Results, and failed or
 * look-alike signatures. (Signing and verifying for real: {@link PetrelInboxDkimTest}.)
 */
class CapturedMailTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CapturedMail mail(String results, String... dkim) {
        ObjectNode m = JSON.createObjectNode().put("ID", "01KBE7Y3Z9QK0T6W3J5N2M8XQH").put("Subject", "Hi");
        m.putArray("To").addObject().put("Address", "bob@example.org");
        ObjectNode auth = m.putObject("Authentication");
        if (results == null) auth.putNull("Results");
        else auth.put("Results", results);
        var list = auth.putArray("DKIM");
        for (String d : dkim) list.add(d);
        return new CapturedMail(null, m, null);
    }

    @Test
    void aPassInOurAuthenticationResultsCountsForItsHeaderDomain() {
        CapturedMail m = mail("mx.petrel.test; spf=fail smtp.mailfrom=a@example.com;\r\n dkim=pass (2048-bit key) header.d=example.com"
                + " header.s=s1; dmarc=pass header.from=example.com");
        m.wasSignedBy("example.com").wasSignedBy("Example.Com");
        assertThatThrownBy(() -> m.wasSignedBy("example.org")).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected message 01KBE7Y3Z9QK0T6W3J5N2M8XQH (subject \"Hi\", to bob@example.org) to carry a DKIM "
                        + "signature of example.org that verifies, but its DKIM results are none and its Authentication-Results is \"mx.petrel.test;");
        mail("mx.petrel.test; dkim=pass header.d=\"example.com\"").wasSignedBy("example.com");
    }

    @Test
    void failuresAndOtherDomainsDoNotCount() {
        assertThatThrownBy(() -> mail("mx; dkim=fail header.d=example.com; dkim=pass header.d=mailer.example").wasSignedBy("example.com"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> mail("mx; dkim=pass header.d=sub.example.com").wasSignedBy("example.com"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> mail(null, "fail (d=example.com s=s1) body hash did not verify").wasSignedBy("example.com"))
                .isInstanceOf(AssertionError.class).hasMessageEndingWith(
                        "its DKIM results are [\"fail (d=example.com s=s1) body hash did not verify\"] and its Authentication-Results is absent");
        assertThatThrownBy(() -> mail(null, "pass (d=example.com.evil s=s1)").wasSignedBy("example.com"))
                .isInstanceOf(AssertionError.class);
        mail(null, "fail (d=example.com s=old)", "pass (d=example.com s=new)").wasSignedBy("example.com");
    }

    @Test
    void addressesCompareLocalPartsExactlyAndDomainsWithoutCase() {
        assertThat(CapturedMail.sameAddress("Bob@Example.com", "Bob@example.COM")).isTrue();
        assertThat(CapturedMail.sameAddress("bob@example.com", "Bob@example.com")).isFalse();
        assertThat(CapturedMail.sameAddress("", "")).as("the null reverse-path <>").isTrue();
    }
}
