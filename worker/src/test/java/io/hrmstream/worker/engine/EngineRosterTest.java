package io.hrmstream.worker.engine;

import io.hrmstream.worker.model.HaltRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker's engines: one per task, found by the task a request names. */
class EngineRosterTest {

    @Test
    void aRequestsTaskFindsTheEngineWhoseModelSolvesIt() {
        final SolverEngine sudoku = engine("hrm-sudoku@aaaa0000", "sudoku");
        final SolverEngine maze = engine("hrm-maze@bbbb1111", "maze");
        final EngineRoster roster = EngineRoster.of(sudoku, maze);

        assertEquals(Optional.of(sudoku), roster.forTask("sudoku"));
        assertEquals(Optional.of(maze), roster.forTask("maze"));
        assertEquals(Optional.empty(), roster.forTask("arc"));
        assertEquals(List.of("sudoku", "maze"), List.copyOf(roster.models().keySet()));
        assertEquals("hrm-sudoku@aaaa0000, hrm-maze@bbbb1111", roster.modelNames());
    }

    @Test
    void twoModelsForOneTaskAreRefusedWithBothNames() {
        final var e = assertThrows(IllegalArgumentException.class,
                () -> EngineRoster.of(engine("a", "sudoku"), engine("b", "sudoku")));
        assertTrue(e.getMessage().contains("a and b both solve sudoku"), e.getMessage());
    }

    @Test
    void noEnginesIsTheNoModelWorker() {
        assertTrue(EngineRoster.none().isEmpty());
        assertEquals("none", EngineRoster.none().modelNames());
    }

    private static SolverEngine engine(final String name, final String task) {
        final ModelDescriptor model = new ModelDescriptor(name, task, "hrm_act_v1", 81, 11, 1, 8,
                HaltRule.Q_HALT_ABOVE_Q_CONTINUE, "cpu()");
        return new SolverEngine() {
            @Override
            public ModelDescriptor model() {
                return model;
            }

            @Override
            public SolveFuture submit(final SolveRequest request) {
                throw new UnsupportedOperationException("not submitted to in this test");
            }

            @Override
            public int pending() {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }
}
