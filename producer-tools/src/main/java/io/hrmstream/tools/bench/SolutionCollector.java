package io.hrmstream.tools.bench;

import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.tools.collect.SolutionReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * The bench's reader thread: positions itself at the end of the solutions topic, then enters each solution in the
 * ledger until every request is answered, a stop is requested or the deadline passes. The deadline is unbounded
 * until the publishing thread sets it, once the last request is sent.
 */
final class SolutionCollector extends Thread {

    private final SolutionReader reader;
    private final BenchLedger ledger;
    private final Runnable solved;
    private final BooleanSupplier stop;
    private final CountDownLatch positioned = new CountDownLatch(1);
    // set by the publishing thread, read before each poll
    private volatile long deadlineMs = Long.MAX_VALUE;
    // set on this thread, rethrown on the caller's
    private volatile RuntimeException failure;

    /** @param solved called on this thread for each solution counted (a progress bar) */
    SolutionCollector(SolutionReader reader, BenchLedger ledger, Runnable solved, BooleanSupplier stop) {
        super("hrm-tools-bench-reader");
        this.reader = reader;
        this.ledger = ledger;
        this.solved = solved;
        this.stop = stop;
    }

    @Override
    public void run() {
        try {
            reader.start(SolutionReader.StartAt.LATEST);
            positioned.countDown();
            reader.readUntil(() -> ledger.complete() || stop.getAsBoolean(), () -> deadlineMs, new LedgerSink());
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            positioned.countDown();
        }
    }

    /**
     * Starts the thread and returns once it reads from the end of the topic, so no solution of this run is
     * missed; throws what kept it from getting there (a missing topic).
     */
    void startAtEnd() throws InterruptedException {
        start();
        positioned.await();
        if (failure != null) {
            join();
            throw failure;
        }
    }

    /** Stops reading at {@code epochMs} at the latest. */
    void deadline(long epochMs) {
        deadlineMs = epochMs;
    }

    /** Waits for the thread to finish; throws what it failed on. */
    void finish() throws InterruptedException {
        join();
        if (failure != null) {
            throw failure;
        }
    }

    /** Enters each solution in the ledger and ticks the progress for each one counted. */
    private final class LedgerSink implements SolutionReader.Sink {

        @Override
        public void solution(PuzzleSolution solution, ConsumerRecord<String, byte[]> record) {
            if (ledger.solution(solution)) {
                solved.run();
            }
        }

        @Override
        public void undecodable(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
            ledger.undecodable();
        }
    }
}
