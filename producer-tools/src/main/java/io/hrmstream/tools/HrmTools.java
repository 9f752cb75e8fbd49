package io.hrmstream.tools;

import io.hrmstream.schemas.ProjectVersion;
import io.hrmstream.tools.cli.BenchCommand;
import io.hrmstream.tools.cli.CollectCommand;
import io.hrmstream.tools.cli.DlqCommand;
import io.hrmstream.tools.cli.GenerateCommand;
import io.hrmstream.tools.cli.PublishCommand;
import io.hrmstream.tools.cli.TailCommand;
import io.hrmstream.tools.cli.ToolsErrorHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code java -jar hrm-tools.jar <command>}: generate, publish, collect, bench, tail, dlq. Exit codes: 0 done, 1
 * failed (bad input, broker or registry), 2 bad usage, 3 stopped at the timeout with solutions missing.
 */
@Command(name = "hrm-tools",
        mixinStandardHelpOptions = true,
        versionProvider = HrmTools.Version.class,
        description = "Publishes puzzles to hrm.requests, reads solutions from hrm.solutions and dead letters from "
                + "hrm.requests.dlq.",
        subcommands = {
                GenerateCommand.class,
                PublishCommand.class,
                CollectCommand.class,
                BenchCommand.class,
                TailCommand.class,
                DlqCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class HrmTools {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** {@code hrm-tools <the project version>}, the version {@code hrm-worker --version} prints too. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"hrm-tools " + ProjectVersion.get()};
        }
    }

    /** The configured command line (also what the tests run). */
    public static CommandLine commandLine() {
        return new CommandLine(new HrmTools())
                .setExecutionExceptionHandler(new ToolsErrorHandler())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
