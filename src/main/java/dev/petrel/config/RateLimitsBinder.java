package dev.petrel.config;

/** Reads [rate_limits] (token buckets per user and per IP). Not read from the file yet: defaults. */
final class RateLimitsBinder {
    private RateLimitsBinder() {}

    static PetrelConfig.RateLimits bind(Section s) {
        s.rejectUnknown();
        return PetrelConfig.Policy.DEFAULTS.rates();
    }
}
