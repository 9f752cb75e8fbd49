package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;

/**
 * HRM's two-timescale recursion (hrm_act_v1.py {@code HierarchicalReasoningModel_ACTV1_Inner.forward}): per H cycle,
 * L_cycles updates of the fast module {@code z_L = L_level(z_L, z_H + x)}, then one update of the slow module
 * {@code z_H = H_level(z_H, z_L)}. In all H_cycles·L_cycles L updates and H_cycles H updates; the very last L and H
 * updates are the gradient step.
 *
 * @param hLevel  H_level
 * @param lLevel  L_level
 * @param hCycles H_cycles
 * @param lCycles L_cycles
 */
public record HrmReasoner(ReasoningModule hLevel, ReasoningModule lLevel, int hCycles, int lCycles)
        implements Reasoner {

    @Override
    public InnerCarry leadingUpdates(InnerCarry carry, NDArray input, RotaryEmbedding rope) {
        NDArray zH = carry.zH();
        NDArray zL = carry.zL();
        for (int h = 0; h < hCycles; h++) {
            for (int l = 0; l < lCycles; l++) {
                boolean lastL = h == hCycles - 1 && l == lCycles - 1;
                if (!lastL) {
                    zL = lLevel.forward(zL, zH.add(input), rope);              // [B, S+P, hidden]
                }
            }
            if (h != hCycles - 1) {
                zH = hLevel.forward(zH, zL, rope);                             // [B, S+P, hidden]
            }
        }
        return new InnerCarry(zH, zL);
    }

    @Override
    public InnerCarry finalUpdates(InnerCarry carry, NDArray input, RotaryEmbedding rope) {
        NDArray zL = lLevel.forward(carry.zL(), carry.zH().add(input), rope);  // [B, S+P, hidden]
        NDArray zH = hLevel.forward(carry.zH(), zL, rope);                     // [B, S+P, hidden]
        return new InnerCarry(zH, zL);
    }
}
