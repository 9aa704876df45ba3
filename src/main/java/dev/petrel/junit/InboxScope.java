package dev.petrel.junit;

/**
 * What one test sees: its inbox name and the cursor taken when it started (the newest message ID
 * then, or null when the inbox was empty), so {@code await} finds only mail stored after that.
 *
 * @param inbox  the test's inbox name (letters, digits and '-', lower case), as the server's
 *               {@code inbox:} search operator and the capture's {@code tag} rule spell it
 * @param cursor the newest message ID when the test started, or null
 */
record InboxScope(String inbox, String cursor) {
    /** The search terms that confine a query to this inbox. */
    String confine(String query) {
        String inInbox = "inbox:" + inbox;
        return query.isEmpty() ? inInbox : inInbox + " " + query;
    }
}
