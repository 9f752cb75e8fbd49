package io.hrmstream.worker.train;

/**
 * Per-row answer scores of one step, host side ({@code ACTLossHead}'s bookkeeping): labelled cells, right cells,
 * whole answer right. Label token 0 is a pad: not counted.
 *
 * @param labelled cells with a label, per row
 * @param right    labelled cells predicted right, per row
 */
record RowScores(int[] labelled, int[] right) {

    static RowScores of(int[] predicted, int[][] labels, int seqLen) {
        int rows = labels.length;
        int[] labelled = new int[rows];
        int[] right = new int[rows];
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < seqLen; i++) {
                int label = labels[b][i];
                if (label == 0) continue;
                labelled[b]++;
                if (predicted[b * seqLen + i] == label) right[b]++;
            }
        }
        return new RowScores(labelled, right);
    }

    boolean correct(int row) {
        return right[row] == labelled[row];
    }

    /** {@code seq_is_correct} as 0/1 targets for the q_halt BCE. */
    float[] correctness() {
        float[] out = new float[labelled.length];
        for (int b = 0; b < out.length; b++) out[b] = correct(b) ? 1f : 0f;
        return out;
    }

    /** {@code loss_divisor}: labelled cells clamped to at least 1. */
    float[] divisors() {
        float[] out = new float[labelled.length];
        for (int b = 0; b < out.length; b++) out[b] = Math.max(1, labelled[b]);
        return out;
    }

    StepMetrics metrics(boolean[] halted, int[] steps, float[] qHalt, double lm, double qh, double qc, double total) {
        int count = 0;
        double exact = 0, cells = 0, qAcc = 0, stepSum = 0;
        for (int b = 0; b < labelled.length; b++) {
            if (!halted[b] || labelled[b] == 0) continue;
            count++;
            exact += correct(b) ? 1 : 0;
            cells += (double) right[b] / labelled[b];
            qAcc += (qHalt[b] >= 0) == correct(b) ? 1 : 0;
            stepSum += steps[b];
        }
        double n = count == 0 ? Double.NaN : count;
        return new StepMetrics(lm, qh, qc, total, count, exact / n, cells / n, qAcc / n, stepSum / n, null);
    }
}
