package io.hrmstream.tools.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** What every request a command sends carries besides its puzzle: step cap, views and attributes (one mixin). */
public final class RequestOptions {

    @Option(names = "--max-steps", paramLabel = "N", description = "Cap on ACT steps for every request.")
    Integer maxSteps;

    @Option(names = "--samples", paramLabel = "N",
            description = "Guess scaling: the most views (the puzzle plus augmented copies) the worker may race when "
                    + "a request's first answer fails its verifier; 1 = never (default: the worker's --samples).")
    Integer samples;

    @Option(names = "--attr", paramLabel = "KEY=VALUE",
            description = "An attribute for every request, passed through to its solution; repeatable.")
    Map<String, String> attributes = new LinkedHashMap<>();
}
