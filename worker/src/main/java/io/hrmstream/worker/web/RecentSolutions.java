package io.hrmstream.worker.web;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.worker.stream.SolveObserver;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * The last solutions the worker forwarded, as {@link SolutionSummary summaries} for the console, and how many it
 * forwarded in each of the last seconds. Fed on the stream thread through {@link SolveObserver#onSolution}: a write
 * is a few atomic operations and never waits on a lock or on a reader.
 */
public final class RecentSolutions implements SolveObserver {

    /** Summaries kept: enough for a page of grids, few enough to copy every second. */
    public static final int DEFAULT_CAPACITY = 50;
    /** Seconds the throughput is averaged over. */
    public static final int RATE_WINDOW_SECONDS = 10;

    private final AtomicReferenceArray<SolutionSummary> ring;
    private final AtomicLong written = new AtomicLong();
    // one slot per second of the window (+1: the second under way is not averaged); slot = second % length
    private final AtomicLongArray secondOfSlot = new AtomicLongArray(RATE_WINDOW_SECONDS + 1);
    private final AtomicLongArray countOfSlot = new AtomicLongArray(RATE_WINDOW_SECONDS + 1);
    private final LongSupplier clockMs;

    public RecentSolutions() {
        this(DEFAULT_CAPACITY, System::currentTimeMillis);
    }

    /** {@code clockMs}: wall-clock milliseconds (tests pass their own). */
    public RecentSolutions(final int capacity, final LongSupplier clockMs) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.ring = new AtomicReferenceArray<>(capacity);
        this.clockMs = clockMs;
    }

    /** A solution whose request is unknown: summarised without its givens. */
    @Override
    public void onSolution(final PuzzleSolution solution) {
        keep(solution, null);
    }

    @Override
    public void onSolution(final PuzzleRequest request, final PuzzleSolution solution) {
        keep(solution, request.getGrid());
    }

    private void keep(final PuzzleSolution solution, final Grid input) {
        final long now = clockMs.getAsLong();
        ring.set((int) (written.getAndIncrement() % ring.length()), SolutionSummary.of(solution, input, now));
        countSecond(now / 1000);
    }

    private void countSecond(final long second) {
        final int slot = (int) (second % secondOfSlot.length());
        final long held = secondOfSlot.get(slot);
        if (held != second && secondOfSlot.compareAndSet(slot, held, second)) {
            countOfSlot.set(slot, 0);   // a racing increment of the stale second may be lost: a display, not a meter
        }
        countOfSlot.incrementAndGet(slot);
    }

    /** Solutions a second over the last {@link #RATE_WINDOW_SECONDS} whole seconds. */
    public double solutionsPerSecond() {
        final long current = clockMs.getAsLong() / 1000;
        long sum = 0;
        for (int slot = 0; slot < secondOfSlot.length(); slot++) {
            final long second = secondOfSlot.get(slot);
            if (second < current && second >= current - RATE_WINDOW_SECONDS) {
                sum += countOfSlot.get(slot);
            }
        }
        return (double) sum / RATE_WINDOW_SECONDS;
    }

    /** Solutions forwarded since the start. */
    public long total() {
        return written.get();
    }

    /** The kept summaries, newest first. */
    public List<SolutionSummary> newestFirst() {
        final long end = written.get();
        final List<SolutionSummary> out = new ArrayList<>(ring.length());
        for (long i = end - 1; i >= 0 && i >= end - ring.length(); i--) {
            final SolutionSummary summary = ring.get((int) (i % ring.length()));
            if (summary != null) {
                out.add(summary);
            }
        }
        return out;
    }

    /**
     * One forwarded solution as the console shows it. {@code cells}: the answer grid's bytes (task alphabet), empty
     * when there is none (REJECTED); {@code givens}: the request's grid, empty when unknown.
     */
    public record SolutionSummary(String id, String task, String status, int rows, int cols, int[] cells,
                                  int[] givens, int steps,
                                  int maxSteps, String haltedBy, float haltConfidence, String model, Long latencyMs,
                                  String error, long atMs) {

        static SolutionSummary of(final PuzzleSolution solution, final Grid input, final long atMs) {
            final Grid grid = solution.getSolution();
            final int rows = grid == null ? 0 : grid.getRows();
            final int cols = grid == null ? 0 : grid.getCols();
            return new SolutionSummary(solution.getRequestId(), solution.getTask(), solution.getStatus().name(),
                    rows, cols, grid == null ? new int[0] : unsigned(grid.getCells()),
                    input == null ? new int[0] : unsigned(input.getCells()), solution.getSteps(),
                    solution.getMaxSteps(), solution.getHaltedBy().name(), solution.getHaltConfidence(),
                    solution.getModel(), solution.getLatencyMs(), solution.getError(), atMs);
        }
    }

    /** A grid's cells as unsigned values (the page reads bytes 0..255, not Java's signed ones). */
    static int[] unsigned(final ByteBuffer cells) {
        final ByteBuffer view = cells.duplicate();
        final int[] out = new int[view.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = view.get() & 0xFF;
        }
        return out;
    }
}
