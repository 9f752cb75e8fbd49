package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import io.hrmstream.worker.djl.ArrayGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * The ACT wrapper's carry ({@code *_ACTV1Carry}).
 *
 * @param inner             z_H, z_L [B, S+P, hidden]
 * @param steps             ACT steps taken by each row's current puzzle [B], int32
 * @param halted            rows whose puzzle is done [B], boolean: they take new data on the next step
 * @param inputs            each row's current puzzle tokens [B, S] ({@code current_data["inputs"]})
 * @param puzzleIdentifiers each row's current puzzle identifier [B]
 */
public record ActCarry(InnerCarry inner, NDArray steps, NDArray halted, NDArray inputs, NDArray puzzleIdentifiers)
        implements ArrayGroup {

    @Override
    public List<NDArray> arrays() {
        List<NDArray> all = new ArrayList<>(inner.arrays());
        all.addAll(List.of(steps, halted, inputs, puzzleIdentifiers));
        return all;
    }
}
