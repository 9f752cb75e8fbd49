package io.hrmstream.tools.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Locale;
import java.util.Map;

/** Renders a {@link SolveReport} for people (aligned text with a steps bar chart) or for programs (JSON). */
public final class ReportFormat {

    private static final int BAR_WIDTH = 40;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFormat() {
    }

    public static String json(SolveReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a SolveReport always serialises", e);
        }
    }

    public static String text(SolveReport report) {
        StringBuilder out = new StringBuilder();
        String receivedLine = report.received() + " received";
        if (report.expected() > 0) {
            receivedLine += " of " + report.expected() + " expected, " + report.missing() + " missing";
        }
        receivedLine += ", " + report.duplicates() + " duplicates, " + report.ignored() + " ignored";
        line(out, "solutions", receivedLine);
        if (report.throughput() != null) {
            line(out, "throughput", String.format(Locale.ROOT, "%.1f solutions/s over %.1f s",
                    report.throughput().solutionsPerSecond(), report.throughput().elapsedMs() / 1000.0));
        }
        if (report.accuracy() != null) {
            SolveReport.Accuracy a = report.accuracy();
            line(out, "accuracy", String.format(Locale.ROOT, "%.2f%% exact (%d of %d with a known answer)",
                    100.0 * a.rate(), a.exact(), a.known()));
        }
        if (report.arcPassAt2() != null) {
            SolveReport.Accuracy a = report.arcPassAt2();
            line(out, "ARC pass@2", String.format(Locale.ROOT, "%.2f%% (%d of %d ARC test inputs with a known answer)",
                    100.0 * a.rate(), a.exact(), a.known()));
        }
        line(out, "status", counts(report.statuses()));
        line(out, "halted by", counts(report.haltedBy()));
        line(out, "latency ms", latency(report.latencyMs()));
        if (report.roundTripMs() != null) {
            line(out, "round trip ms", latency(report.roundTripMs()));
        }
        if (report.compute() != null) {
            SolveReport.Compute c = report.compute();
            line(out, "views", String.format(Locale.ROOT, "mean %.2f per solution, %d escalated (samples > 1)",
                    c.meanSamples(), c.escalated()));
            line(out, "compute steps", String.format(Locale.ROOT, "mean %.2f  p50 %d  p95 %d  p99 %d (all views)",
                    c.computeSteps().mean(), c.computeSteps().p50(), c.computeSteps().p95(), c.computeSteps().p99()));
        }
        line(out, "ACT steps", report.steps().isEmpty() ? "none"
                : String.format(Locale.ROOT, "mean %.2f", report.meanSteps()));
        long maxCount = report.steps().values().stream().mapToLong(Long::longValue).max().orElse(0);
        report.steps().forEach((steps, count) -> {
            int bar = (int) Math.max(1, Math.round((double) BAR_WIDTH * count / maxCount));
            out.append(String.format(Locale.ROOT, "  %5d | %-" + BAR_WIDTH + "s %d%n", steps, "#".repeat(bar), count));
        });
        return out.toString();
    }

    private static String latency(LatencySummary s) {
        if (s.count() == 0) {
            return "none reported";
        }
        return String.format(Locale.ROOT, "p50 %d  p95 %d  p99 %d  (min %d, max %d, mean %.1f, n=%d)",
                s.p50(), s.p95(), s.p99(), s.min(), s.max(), s.mean(), s.count());
    }

    private static String counts(Map<String, Long> counts) {
        StringBuilder s = new StringBuilder();
        counts.forEach((name, count) -> s.append(s.length() == 0 ? "" : "  ").append(name).append(' ').append(count));
        return s.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-14s %s%n", label, value));
    }
}
