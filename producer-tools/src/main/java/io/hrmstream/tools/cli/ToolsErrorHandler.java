package io.hrmstream.tools.cli;

import io.hrmstream.tools.input.PuzzleInputException;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Failures people cause or can fix (a bad puzzle file, an unreachable broker or registry, a bad setting) print one
 * line, {@code hrm-tools <command>: <what went wrong>}, and exit 1; anything else is a bug and keeps its stack trace.
 */
public final class ToolsErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        if (e instanceof PuzzleInputException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof KafkaException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + Errors.describe(e));
            command.getErr().flush();
            return 1;
        }
        throw e;
    }
}
