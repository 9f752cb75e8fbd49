package io.hrmstream.tools.cli;

import picocli.CommandLine.Option;

/** {@code --progress} / {@code --no-progress}: whether a command shows its {@link Progress} bar. */
public final class ProgressOptions {

    @Option(names = "--progress", negatable = true,
            description = "Show a progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    /** @param total the expected count, or a negative number when it is not known */
    Progress start(String task, long total) {
        return Progress.start(task, total, progress);
    }
}
