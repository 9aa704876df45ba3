package dev.petrel.mailauth.spf;

/**
 * Ends a check_host() evaluation at once with {@code temperror} or {@code permerror}, from however
 * deep in include/redirect recursion it is raised (RFC 7208: "check_host() exits with ...").
 * Internal to the package; callers see an {@link SpfResult}.
 */
final class SpfAbort extends RuntimeException {
    private final SpfResult.Kind kind;

    private SpfAbort(SpfResult.Kind kind, String problem) {
        super(problem, null, false, false); // control flow: no stack trace needed
        this.kind = kind;
    }

    static SpfAbort temperror(String problem) {
        return new SpfAbort(SpfResult.Kind.TEMPERROR, problem);
    }

    static SpfAbort permerror(String problem) {
        return new SpfAbort(SpfResult.Kind.PERMERROR, problem);
    }

    SpfResult.Kind kind() {
        return kind;
    }
}
