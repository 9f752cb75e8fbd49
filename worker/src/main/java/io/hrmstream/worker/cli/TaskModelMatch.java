package io.hrmstream.worker.cli;

import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.worker.engine.ModelDescriptor;

import java.util.Optional;

/**
 * Whether a model can serve a task, checked once at start so that a wrong {@code --task} stops the worker with one
 * line instead of every request being REJECTED: the task's codec must use the model's vocabulary. (The input
 * length is checked per request: one model may serve grids of several sizes' encodings only if they match.)
 */
final class TaskModelMatch {

    private TaskModelMatch() {
    }

    /** Empty when {@code model} can serve {@code task}; else the mismatch, naming both. */
    static Optional<String> mismatch(final PuzzleTask task, final ModelDescriptor model) {
        if (task.vocabSize() != model.vocabSize()) {
            return Optional.of(String.format("--task %s does not match the model %s: the %s codec uses %d tokens, "
                            + "the model's vocabulary has %d; pass the task the model was trained on",
                    task.name(), model.name(), task.name(), task.vocabSize(), model.vocabSize()));
        }
        return Optional.empty();
    }
}
