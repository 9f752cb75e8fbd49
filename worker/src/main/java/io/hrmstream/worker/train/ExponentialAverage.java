package io.hrmstream.worker.train;

/** Smoothed value for the progress bar; NaN samples (no halted row) are skipped. */
final class ExponentialAverage {
    private final double weight;
    private double value = Double.NaN;

    ExponentialAverage(double weight) {
        this.weight = weight;
    }

    void add(double sample) {
        if (Double.isNaN(sample)) return;
        value = Double.isNaN(value) ? sample : value + weight * (sample - value);
    }

    double value() {
        return value;
    }
}
