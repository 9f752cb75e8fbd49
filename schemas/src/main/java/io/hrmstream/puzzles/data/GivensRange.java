package io.hrmstream.puzzles.data;

/**
 * How many givens a generated sudoku has, drawn uniformly from {@code [min, max]}; written {@code MIN-MAX} or
 * {@code N} on both tools' command lines ({@code hrm-tools generate --givens}, {@code hrm-worker eval --givens}).
 * The bounds themselves are checked by {@link SudokuGenerator}.
 */
public record GivensRange(int min, int max) {

    /** Reads {@code 40-55} or {@code 45}. */
    public static GivensRange parse(final String value) {
        final String[] parts = value.trim().split("-", -1);
        try {
            if (parts.length == 1) {
                final int n = Integer.parseInt(parts[0].trim());
                return new GivensRange(n, n);
            }
            if (parts.length == 2) {
                return new GivensRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + value + "' is not a givens range; write e.g. 40-55 or 45");
    }

    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
