package dev.petrel.config;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean ...?" for misspelt keys and table names. */
final class Spelling {
    private Spelling() {}

    /** The known word closest to {@code typo}, if it is close enough to be a plausible typo. */
    static Optional<String> closest(String typo, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String word : known) {
            int d = distance(typo.toLowerCase(), word.toLowerCase());
            if (d < bestDistance) {
                best = word;
                bestDistance = d;
            }
        }
        // A third of the word may be wrong: catches 'max_conection' and 'hostnme', not 'port' -> 'mode'.
        int allowed = Math.max(1, typo.length() / 3);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
