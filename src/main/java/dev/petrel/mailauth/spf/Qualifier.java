package dev.petrel.mailauth.spf;

/** A mechanism's qualifier (RFC 7208 section 4.6.2): the result when the mechanism matches. */
public enum Qualifier {
    PASS('+', SpfResult.Kind.PASS),
    FAIL('-', SpfResult.Kind.FAIL),
    SOFTFAIL('~', SpfResult.Kind.SOFTFAIL),
    NEUTRAL('?', SpfResult.Kind.NEUTRAL);

    private final char symbol;
    private final SpfResult.Kind result;

    Qualifier(char symbol, SpfResult.Kind result) {
        this.symbol = symbol;
        this.result = result;
    }

    public char symbol() {
        return symbol;
    }

    public SpfResult.Kind result() {
        return result;
    }

    /** The qualifier written as {@code c}, or null when {@code c} is not one (then the default is {@code +}). */
    static Qualifier of(char c) {
        for (Qualifier q : values()) if (q.symbol == c) return q;
        return null;
    }
}
