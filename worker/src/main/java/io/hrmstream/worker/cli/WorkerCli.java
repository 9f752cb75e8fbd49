package io.hrmstream.worker.cli;

import io.hrmstream.schemas.ProjectVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar hrm-worker.jar <command>}: the worker's entry point. Each subcommand is its own class. */
@Command(name = "hrm-worker",
        mixinStandardHelpOptions = true,
        versionProvider = WorkerCli.Version.class,
        description = "Serves HRM/TRM reasoning models on Kafka.",
        subcommands = {
                CommandLine.HelpCommand.class,
                RunCommand.class,
                DevClusterCommand.class,
                ForwardCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                BenchCommand.class,
        })
public final class WorkerCli {

    public static void main(String[] args) {
        // DJL must never download anything; set before the engine is first touched.
        System.setProperty("ai.djl.offline", "true");
        int exit = new CommandLine(new WorkerCli()).execute(args);
        System.exit(exit);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"hrm-worker " + ProjectVersion.get()};
        }
    }
}
