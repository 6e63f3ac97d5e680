package io.streamingpipeline.spark;

import java.util.List;

/** The job cannot start: the message lists every setting to fix, one per line, and never contains a password. */
public final class InvalidSettingsException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("Cannot start: fix these settings (pass them as --option value, or as --conf spark.trades.option=value):"
                + System.lineSeparator() + "  - " + String.join(System.lineSeparator() + "  - ", problems)
                + System.lineSeparator() + "Run with --help for the list of options.");
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
