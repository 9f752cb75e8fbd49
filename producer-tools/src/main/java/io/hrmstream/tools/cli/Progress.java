package io.hrmstream.tools.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (me.tongfei:progressbar), so stdout stays clean for reports and CSV. {@link #NONE} does
 * nothing, for runs without a terminal or with {@code --no-progress}.
 */
public final class Progress implements AutoCloseable {

    public static final Progress NONE = new Progress(null);

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * @param total the expected count, or a negative number when it is not known
     * @param show  true, false, or null to show it only when stderr is a terminal
     */
    static Progress start(String task, long total, Boolean show) {
        boolean visible = show != null ? show : System.console() != null;
        if (!visible) {
            return NONE;
        }
        return new Progress(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .showSpeed()
                .setUpdateIntervalMillis(250)
                .build());
    }

    /** Thread-safe: publish steps it from the producer's callback thread. */
    public void step() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
