package io.hrmstream.worker.djl;

import ai.djl.ndarray.NDArray;

import java.util.List;

/** A result made of several arrays (a carry, a step's outputs), closed together. */
public interface ArrayGroup extends AutoCloseable {

    /** The arrays this group owns. */
    List<NDArray> arrays();

    @Override
    default void close() {
        arrays().forEach(NDArray::close);
    }
}
