package dev.petrel.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem in one pass so the user can fix them all at once, instead of meeting them
 * one run at a time. Problems are reported in line order; those without a line come last.
 */
final class Problems {
    private record Problem(int line, String text) {}

    private final String fileName;
    private final List<Problem> problems = new ArrayList<>();

    Problems(String fileName) {
        this.fileName = fileName;
    }

    /** @param line 1-based, or 0 when the problem has no line (a missing key, a default) */
    void add(int line, String text) {
        problems.add(new Problem(line, text));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    ConfigException toException() {
        List<String> lines = problems.stream()
                .sorted(Comparator.comparingInt((Problem p) -> p.line() == 0 ? Integer.MAX_VALUE : p.line()))
                .map(p -> fileName + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.text())
                .toList();
        return new ConfigException(lines);
    }
}
