package dev.petrel.delivery;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps Petrel from delivering to itself (RFC 5321 section 5.1: a host must not send to its own
 * addresses as if they were the next hop). Wraps a {@link TargetResolver} and drops the targets
 * that are one of our own listeners; when none is left, the mail loops back to us and is refused
 * for good with 5.4.6, like Postfix's "mail for X loops back to myself".
 */
public final class LoopGuard implements TargetResolver {
    private final TargetResolver delegate;
    private final Predicate<InetSocketAddress> isSelf;

    public LoopGuard(TargetResolver delegate, Predicate<InetSocketAddress> isSelf) {
        this.delegate = delegate;
        this.isSelf = isSelf;
    }

    @Override
    public Resolution resolve(String host, int port, boolean mx) {
        Resolution r = delegate.resolve(host, port, mx);
        if (!(r instanceof Resolution.Targets targets)) return r;
        List<Target> others = targets.targets().stream()
                .filter(t -> !isSelf.test(new InetSocketAddress(t.address(), t.port()))).toList();
        if (others.isEmpty()) {
            return new Resolution.Permanent("5.4.6", "mail for " + host + " loops back to myself");
        }
        return others.size() == targets.targets().size() ? r : new Resolution.Targets(others);
    }
}
