package dev.petrel.config;

import java.util.List;

/** Reads [senders] (sender identity of authenticated users). Not read from the file yet: defaults. */
final class SendersBinder {
    private SendersBinder() {}

    static PetrelConfig.Senders bind(Section s, List<String> localDomains) {
        s.rejectUnknown();
        return PetrelConfig.Policy.DEFAULTS.senders();
    }
}
