package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.Grids;
import io.hrmstream.puzzles.MazeTask;
import io.hrmstream.puzzles.SudokuTask;
import io.hrmstream.schemas.Grid;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The official HRM dataset CSV layout, as {@code dataset/build_sudoku_dataset.py} and
 * {@code build_maze_dataset.py} read it: a header row, then {@code source,q,a,rating} per puzzle.
 * <ul>
 *   <li>sudoku: q and a are 81 characters, row-major; blanks in q are {@code '.'} (read: {@code '.'} or
 *       {@code '0'}), digits {@code '1'..'9'};</li>
 *   <li>maze: q and a are the N*N cells of a square maze as characters of {@code "# SGo"}, row-major.</li>
 * </ul>
 * Fields are quoted as RFC 4180 needs (Apache Commons CSV), so Python's {@code csv} module reads them.
 */
public final class HrmCsv {

    public static final String[] HEADER = {"source", "q", "a", "rating"};
    /** The character of a blank sudoku cell in q. */
    public static final char SUDOKU_BLANK = '.';

    private HrmCsv() {
    }

    /**
     * A reader of an HRM CSV file, gunzipped on the way when its name ends in {@code .gz} (training sets of a few
     * hundred thousand puzzles travel compressed).
     */
    public static Reader open(Path file) throws IOException {
        InputStream bytes = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().endsWith(".gz")) bytes = new GZIPInputStream(bytes, 1 << 16);
        } catch (IOException e) {
            bytes.close();
            throw e;
        }
        return new BufferedReader(new InputStreamReader(bytes, StandardCharsets.UTF_8));
    }

    /**
     * The puzzles of a CSV, lazily; close the stream to close the reader. The header row is skipped
     * whatever its names (official files name the columns differently).
     *
     * @param task "sudoku" or "maze"
     * @throws IllegalArgumentException (from the stream) for a row that does not fit the task, naming its line
     */
    public static Stream<LabeledPuzzle> read(Reader in, String task) throws IOException {
        requireCsvTask(task);
        CSVParser parser = CSVFormat.DEFAULT.parse(in);
        Iterator<CSVRecord> records = parser.iterator();
        if (records.hasNext()) records.next(); // header
        return parser.stream().map(record -> toPuzzle(record, task)).onClose(() -> {
            try {
                parser.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static LabeledPuzzle toPuzzle(CSVRecord record, String task) {
        String where = "line " + record.getParser().getCurrentLineNumber();
        if (record.size() != HEADER.length) {
            throw new IllegalArgumentException(where + ": expected 4 fields source,q,a,rating, got " + record.size());
        }
        long rating;
        try {
            rating = record.get(3).isBlank() ? 0 : Long.parseLong(record.get(3).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": rating '" + record.get(3) + "' is not an integer");
        }
        return new LabeledPuzzle(record.get(0), gridFromText(task, record.get(1), where + ", q"),
                gridFromText(task, record.get(2), where + ", a"), rating);
    }

    /** A grid from its CSV text. */
    public static Grid gridFromText(String task, String text, String where) {
        requireCsvTask(task);
        if (task.equals("sudoku")) {
            if (text.length() != SudokuTask.SEQ_LEN) {
                throw new IllegalArgumentException(where + ": a sudoku has 81 characters, got " + text.length());
            }
            byte[] cells = new byte[SudokuTask.SEQ_LEN];
            for (int i = 0; i < cells.length; i++) {
                char ch = text.charAt(i);
                if (ch == SUDOKU_BLANK) continue;
                if (ch < '0' || ch > '9') {
                    throw new IllegalArgumentException(where + ": character '" + ch + "' at " + i + " is not '.' or a digit");
                }
                cells[i] = (byte) (ch - '0');
            }
            return Grids.of(SudokuTask.SIZE, SudokuTask.SIZE, cells);
        }
        int side = (int) Math.round(Math.sqrt(text.length()));
        if (side * side != text.length() || side == 0) {
            throw new IllegalArgumentException(where + ": " + text.length() + " characters do not make a square maze");
        }
        for (int i = 0; i < text.length(); i++) {
            if (MazeTask.CHARSET.indexOf(text.charAt(i)) < 0) {
                throw new IllegalArgumentException(where + ": character '" + text.charAt(i) + "' at " + i
                        + " is not one of \"" + MazeTask.CHARSET + "\"");
            }
        }
        return Grids.ofChars(side, side, text);
    }

    /** A grid as CSV text (sudoku blanks as '.'). */
    public static String textFromGrid(String task, Grid grid) {
        requireCsvTask(task);
        byte[] cells = Grids.cells(grid);
        StringBuilder text = new StringBuilder(cells.length);
        for (byte cell : cells) {
            if (task.equals("sudoku")) text.append(cell == 0 ? SUDOKU_BLANK : (char) ('0' + cell));
            else text.append((char) cell);
        }
        return text.toString();
    }

    private static void requireCsvTask(String task) {
        if (!task.equals("sudoku") && !task.equals("maze")) {
            throw new IllegalArgumentException("the HRM CSV layout holds sudoku or maze puzzles, not " + task);
        }
    }

    /** Writes the header, then one row per puzzle. */
    public static Writer writer(Appendable out, String task) throws IOException {
        requireCsvTask(task);
        return new Writer(new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(HEADER).get()), task);
    }

    /** A CSV being written; closing it closes the output. */
    public static final class Writer implements Closeable, Flushable {
        private final CSVPrinter printer;
        private final String task;

        private Writer(CSVPrinter printer, String task) {
            this.printer = printer;
            this.task = task;
        }

        public void write(LabeledPuzzle puzzle) throws IOException {
            printer.printRecord(puzzle.source(), textFromGrid(task, puzzle.question()),
                    textFromGrid(task, puzzle.answer()), puzzle.rating());
        }

        @Override
        public void flush() throws IOException {
            printer.flush();
        }

        @Override
        public void close() throws IOException {
            printer.close();
        }
    }
}
