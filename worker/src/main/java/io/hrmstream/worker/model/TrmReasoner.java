package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;

/**
 * TRM's recursion (trm.py {@code TinyRecursiveReasoningModel_ACTV1_Inner.forward}): one network, L_level, improves
 * the latent z_L L_cycles times from (z_H + x), then the answer z_H once from z_L; H_cycles such rounds, the last of
 * which carries gradient.
 *
 * @param lLevel  L_level, used for both updates
 * @param hCycles H_cycles
 * @param lCycles L_cycles
 */
public record TrmReasoner(ReasoningModule lLevel, int hCycles, int lCycles) implements Reasoner {

    @Override
    public InnerCarry leadingUpdates(InnerCarry carry, NDArray input, RotaryEmbedding rope) {
        InnerCarry z = carry;
        for (int h = 0; h < hCycles - 1; h++) {
            z = round(z, input, rope);
        }
        return z;
    }

    @Override
    public InnerCarry finalUpdates(InnerCarry carry, NDArray input, RotaryEmbedding rope) {
        return round(carry, input, rope);
    }

    private InnerCarry round(InnerCarry carry, NDArray input, RotaryEmbedding rope) {
        NDArray zH = carry.zH();
        NDArray zL = carry.zL();
        for (int l = 0; l < lCycles; l++) {
            zL = lLevel.forward(zL, zH.add(input), rope);                      // [B, S+P, hidden]
        }
        zH = lLevel.forward(zH, zL, rope);                                     // [B, S+P, hidden]
        return new InnerCarry(zH, zL);
    }
}
