package dev.petrel.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 6376 section 3.2. */
class TagListTest {
    @Test
    void parsesTagsWithFoldingAndKeepsOrder() throws Exception {
        TagList t = TagList.parse(" v=1;\r\n\ta = rsa-sha256 ;h=From : To;\r\n b=abc\r\n def ;");
        assertThat(t.tags()).containsExactly(Map.entry("v", "1"), Map.entry("a", "rsa-sha256"),
                Map.entry("h", "From : To"), Map.entry("b", "abc\r\n def"));
        assertThat(TagList.withoutWhiteSpace(t.get("b"))).isEqualTo("abcdef");
    }

    @Test
    void emptyValuesAndEmptyListAreAllowed() throws Exception {
        assertThat(TagList.parse("p=").get("p")).isEmpty();
        assertThat(TagList.parse("").tags()).isEmpty();
        assertThat(TagList.parse(" \r\n ").tags()).isEmpty();
    }

    @Test
    void namesAreCaseSensitive() throws Exception {
        TagList t = TagList.parse("V=1; v=2");
        assertThat(t.get("v")).isEqualTo("2");
        assertThat(t.get("V")).isEqualTo("1");
    }

    @Test
    void invalidListsAreRefusedWithAReason() {
        assertThatThrownBy(() -> TagList.parse("a=1; a=2")).hasMessage("tag a= appears twice");
        assertThatThrownBy(() -> TagList.parse("a=1;; b=2")).hasMessage("empty tag between semicolons");
        assertThatThrownBy(() -> TagList.parse("a=1; b")).hasMessage("tag without '=': b");
        assertThatThrownBy(() -> TagList.parse("1a=x")).hasMessage("invalid tag name: 1a");
        assertThatThrownBy(() -> TagList.parse("=x")).hasMessage("invalid tag name: ");
        assertThatThrownBy(() -> TagList.parse("a=x\u0001y")).hasMessage("control character in the value of a=");
    }
}
