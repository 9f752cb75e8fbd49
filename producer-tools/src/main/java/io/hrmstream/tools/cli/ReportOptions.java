package io.hrmstream.tools.cli;

import io.hrmstream.tools.report.ReportFormat;
import io.hrmstream.tools.report.SolveReport;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** How the report is printed: text on stdout, or JSON ({@code --json} on stdout, {@code --json=FILE} beside it). */
public final class ReportOptions {

    private static final String STDOUT = "-";

    @Option(names = "--json", arity = "0..1", paramLabel = "FILE", fallbackValue = STDOUT,
            description = "Also write the report as JSON: --json alone prints JSON instead of text on stdout; "
                    + "--json=FILE writes it to FILE and still prints the text.")
    String json;

    void print(SolveReport report, PrintWriter out) throws IOException {
        if (STDOUT.equals(json)) {
            out.println(ReportFormat.json(report));
        } else {
            out.print(ReportFormat.text(report));
            if (json != null) {
                Files.writeString(Path.of(json), ReportFormat.json(report) + System.lineSeparator(),
                        StandardCharsets.UTF_8);
            }
        }
        out.flush();
    }
}
