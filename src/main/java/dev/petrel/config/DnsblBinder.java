package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Reads [[dnsbl]] (DNS block lists). Not read from the file yet: none. */
final class DnsblBinder {
    private DnsblBinder() {}

    /** @param node the value of the top-level "dnsbl" key, or null when absent */
    static List<PetrelConfig.Dnsbl> bind(JsonNode node, TomlLocator locator, Problems problems) {
        if (node != null) problems.add(locator.line("dnsbl"), "[[dnsbl]] is not supported yet");
        return List.of();
    }
}
