package io.hrmstream.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar hrm-tools.jar <command>}: generate, publish, collect, bench. */
@Command(name = "hrm-tools",
        mixinStandardHelpOptions = true,
        version = "hrm-tools 0.1.0",
        description = "Publishes puzzles to hrm.requests and reads solutions from hrm.solutions.",
        subcommands = {
                CommandLine.HelpCommand.class,
        })
public final class HrmTools {

    public static void main(String[] args) {
        System.exit(new CommandLine(new HrmTools()).execute(args));
    }
}
