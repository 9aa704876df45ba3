package dev.petrel.config;

/** Reads [limits] (header size, MIME depth, commands, data rate, connection rate, pipelining). Not read from the file yet: defaults. */
final class LimitsBinder {
    private LimitsBinder() {}

    static PetrelConfig.Limits bind(Section s) {
        s.rejectUnknown();
        return PetrelConfig.Policy.DEFAULTS.limits();
    }
}
