package io.hrmstream.worker.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import java.util.function.Supplier;

/**
 * Keeps the forward pass flat in memory: a body runs in its own {@link NDScope}, which closes every array created
 * inside it, except the results, which move on to the enclosing scope (if any, else to the caller).
 * <p>
 * An op's result belongs to the manager of the array it was called on, which may be a long-lived weight or state
 * manager; scoping by creation instead of by manager frees temporaries wherever they were attached.
 * A body must return arrays it created, never one of its inputs (the enclosing scope would close the input).
 */
public final class Scopes {

    private Scopes() {
    }

    /** Runs {@code body}, closing its temporaries; the returned array survives. */
    public static NDArray keep(Supplier<NDArray> body) {
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            result = body.get();
            NDScope.unregister(result);
        }
        NDScope.register(result);
        return result;
    }

    /** Runs {@code body}, closing its temporaries; the arrays of the returned group survive. */
    public static <T extends ArrayGroup> T keepAll(Supplier<T> body) {
        T result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            result = body.get();
            result.arrays().forEach(NDScope::unregister);
        }
        result.arrays().forEach(NDScope::register);
        return result;
    }
}
