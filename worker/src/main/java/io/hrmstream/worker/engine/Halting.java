package io.hrmstream.worker.engine;

import io.hrmstream.worker.model.HaltRule;

import java.util.Locale;

/**
 * When a puzzle stops before its step cap, chosen by the user ({@code run --halting}); independent of batching
 * (a halted puzzle's slot is refilled before the next step in every mode).
 * <ul>
 *   <li>{@code act}: the model's own rule ({@link HaltRule}: HRM q_halt > q_continue, TRM q_halt > 0).</li>
 *   <li>{@code fixed}: never early; every puzzle runs to its cap, as the official evaluation does, so published
 *       numbers can be reproduced through the server.</li>
 *   <li>{@code threshold:P}: when sigmoid(q_halt) >= P (a confidence the user picks, 0 < P < 1).</li>
 * </ul>
 */
public sealed interface Halting {

    Halting ACT = new Act();
    Halting FIXED = new Fixed();

    /** Whether a puzzle with these q logits stops now (its step cap is the engine's to apply). */
    boolean halts(HaltRule modelRule, float qHalt, float qContinue);

    /** {@code act}, {@code fixed} or {@code threshold:P}. */
    static Halting parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("act")) return ACT;
        if (s.equals("fixed")) return FIXED;
        if (s.startsWith("threshold:")) {
            try {
                return new Threshold(Double.parseDouble(s.substring("threshold:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("halting '" + text + "': threshold:P needs a number P in (0, 1)");
            }
        }
        throw new IllegalArgumentException("halting '" + text + "': expected act, fixed or threshold:P");
    }

    /** The model's rule. */
    record Act() implements Halting {
        @Override
        public boolean halts(HaltRule modelRule, float qHalt, float qContinue) {
            return modelRule.halts(qHalt, qContinue);
        }

        @Override
        public String toString() {
            return "act";
        }
    }

    /** Only the step cap stops a puzzle. */
    record Fixed() implements Halting {
        @Override
        public boolean halts(HaltRule modelRule, float qHalt, float qContinue) {
            return false;
        }

        @Override
        public String toString() {
            return "fixed";
        }
    }

    /** sigmoid(q_halt) >= p, i.e. q_halt >= logit(p). */
    record Threshold(double p) implements Halting {
        public Threshold {
            if (!(p > 0 && p < 1)) throw new IllegalArgumentException("halting threshold must be in (0, 1), was " + p);
        }

        @Override
        public boolean halts(HaltRule modelRule, float qHalt, float qContinue) {
            return qHalt >= Math.log(p / (1 - p));
        }

        @Override
        public String toString() {
            return "threshold:" + p;
        }
    }
}
