package dev.petrel.policy;

import dev.petrel.config.PetrelConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The local recipient table: which local parts of a local domain exist, and which mailboxes each
 * one delivers to. RCPT uses it to refuse unknown users with 550 5.1.1 (so we never accept mail
 * we would have to bounce later: backscatter), and the router uses it to pick mailboxes.
 * Immutable and thread-safe.
 *
 * <p>Resolution of a local part, case-insensitively:
 * <ol>
 *   <li>an alias → its targets; a target that is itself an alias is expanded once more (one level
 *       of nesting), an alias seen twice is a loop and is dropped (but {@code alice: alice, bob}
 *       keeps alice's own mailbox, as in Postfix's aliases);</li>
 *   <li>a user → its own mailbox; {@code postmaster} is always a user (RFC 5321 section 4.5.1);</li>
 *   <li>{@code user+tag} → whatever {@code user} resolves to (Postfix {@code recipient_delimiter = +});</li>
 *   <li>with LMTP and no users configured: the local part itself (the LMTP server decides);</li>
 *   <li>otherwise the catch-all mailbox, if any; else nothing: the user is unknown.</li>
 * </ol>
 * Mailbox names are lowercase and become directory names, so names that could escape the
 * Maildir root ({@code /}, {@code ..}, control characters) never come out of here.
 */
public final class LocalRecipients {
    public static final String POSTMASTER = "postmaster";
    /** Aliases may point to aliases, which point to mailboxes: no deeper. */
    private static final int MAX_ALIAS_DEPTH = 1;

    private final Set<String> users;
    private final Map<String, List<String>> aliases;
    private final String catchAll;
    private final boolean acceptAll;

    public LocalRecipients(PetrelConfig.Local local) {
        Set<String> u = new HashSet<>();
        for (String name : local.users()) u.add(key(name));
        u.add(POSTMASTER);
        this.users = Set.copyOf(u);
        Map<String, List<String>> a = new HashMap<>();
        local.aliases().forEach((name, targets) -> a.put(key(name), targets.stream().map(LocalRecipients::key).toList()));
        this.aliases = Map.copyOf(a);
        this.catchAll = local.catchAll() == null || local.catchAll().isBlank() ? null : key(local.catchAll());
        this.acceptAll = local.lmtp() != null && local.users().isEmpty();
    }

    /**
     * The mailboxes mail for {@code localPart} goes to, in a stable order without duplicates;
     * empty when the local part is unknown (refuse with 550 5.1.1).
     */
    public List<String> resolve(String localPart) {
        String part = key(unquote(localPart));
        List<String> found = lookup(part);
        if (found.isEmpty()) {
            int plus = part.indexOf('+');
            if (plus > 0) found = lookup(part.substring(0, plus));
        }
        if (found.isEmpty() && acceptAll) found = List.of(part);
        if (found.isEmpty() && catchAll != null) found = List.of(catchAll);
        return found.stream().filter(LocalRecipients::isSafeMailboxName).toList();
    }

    /** True when {@link #resolve} finds at least one mailbox. */
    public boolean accepts(String localPart) {
        return !resolve(localPart).isEmpty();
    }

    /**
     * A name that is safe as one directory name under the Maildir root: not empty, not {@code .}
     * or containing {@code ..}, no slash or backslash, no control characters. Config validation
     * should refuse bad names with a clear message; this is the last line of defence.
     */
    public static boolean isSafeMailboxName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.contains("..")) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) return false;
        }
        return true;
    }

    private List<String> lookup(String part) {
        Set<String> out = new LinkedHashSet<>();
        expand(part, 0, new HashSet<>(), out);
        return List.copyOf(out);
    }

    private void expand(String name, int depth, Set<String> seen, Set<String> out) {
        List<String> targets = aliases.get(name);
        if (targets != null && depth <= MAX_ALIAS_DEPTH && seen.add(name)) {
            for (String t : targets) expand(t, depth + 1, seen, out);
        } else if (users.contains(name) || (depth > 0 && targets == null)) {
            // A user, or an alias target that is not itself an alias: a mailbox name.
            out.add(name);
        }
        // else: unknown at top level, an alias loop, or nesting too deep: nothing.
    }

    private static String key(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }

    /** {@code "john doe"} → {@code john doe}: a quoted local part names the same mailbox (RFC 5321 2.4). */
    private static String unquote(String localPart) {
        if (localPart.length() < 2 || !localPart.startsWith("\"") || !localPart.endsWith("\"")) return localPart;
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < localPart.length() - 1; i++) {
            char c = localPart.charAt(i);
            if (c == '\\' && i + 1 < localPart.length() - 1) c = localPart.charAt(++i);
            sb.append(c);
        }
        return sb.toString();
    }
}
