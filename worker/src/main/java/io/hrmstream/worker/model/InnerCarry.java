package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import io.hrmstream.worker.djl.ArrayGroup;

import java.util.List;

/**
 * The recurrent state carried from one ACT step to the next ({@code *_ACTV1InnerCarry}).
 *
 * @param zH high-level (TRM: answer) state [B, S+P, hidden]
 * @param zL low-level (TRM: latent) state [B, S+P, hidden]
 */
public record InnerCarry(NDArray zH, NDArray zL) implements ArrayGroup {

    public InnerCarry {
        assert zH.getShape().equals(zL.getShape()) : "z_H " + zH.getShape() + " vs z_L " + zL.getShape();
    }

    /** The same values cut from the autograd graph ({@code .detach()}): the next step starts without gradient. */
    public InnerCarry detached() {
        return new InnerCarry(zH.stopGradient(), zL.stopGradient());
    }

    @Override
    public List<NDArray> arrays() {
        return List.of(zH, zL);
    }
}
