package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.SolveStatus;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One puzzle family as the model sees it: its cell alphabet, how a grid becomes model tokens and back,
 * and how an answer is checked. Alphabets and tokens match the official HRM dataset builders, so models
 * trained on the official data read our tokens.
 */
public interface PuzzleTask {

    /** The task name used in {@code PuzzleRequest.task}: "sudoku", "maze", "arc". */
    String name();

    /** The model vocabulary size, pad token 0 included. */
    int vocabSize();

    /** Why the grid is not a valid input for this task, or empty when it is. */
    Optional<String> checkInput(Grid grid);

    /** The model's input tokens for a grid that passed {@link #checkInput}. */
    int[] encode(Grid grid);

    /**
     * The answer grid read back from the model's predicted tokens (one per input token).
     *
     * @throws IllegalArgumentException if the token count or a token does not fit the task's vocabulary
     */
    Grid decode(int[] tokens, Grid input);

    /**
     * {@link SolveStatus#SOLVED} or {@link SolveStatus#INVALID} when the task has a verifier,
     * {@link SolveStatus#ANSWERED} when it has none.
     */
    SolveStatus verify(Grid input, Grid answer);

    /**
     * The symmetries guess scaling may race views over: present only for tasks with a verifier (a view's answer is
     * kept only when it verifies), empty otherwise.
     */
    default Optional<PuzzleSymmetries> symmetries() {
        return Optional.empty();
    }

    /**
     * The input length (tokens) of the official data set for this task, when it has one layout: what a released
     * checkpoint whose files do not record its {@code seq_len} was trained on.
     */
    default OptionalInt officialSeqLen() {
        return OptionalInt.empty();
    }
}
