package io.c2cstream.engine.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * C-Eval ({@code ceval/ceval-exam}) from its official CSV files, one per subject and split
 * ({@code computer_network_val.csv}): header {@code id,question,A,B,C,D,answer} (the dev split adds
 * {@code explanation}). The subject is the file name without the split suffix; ids are {@code subject/id}.
 *
 * <p>Only rows with an answer A-D count (method §6.1). Test-split rows carry no answer, since C-Eval withholds
 * its test labels, so they are all skipped and counted: evaluate the {@code val} split. An empty option is
 * counted as a missing field; the reference would instead leave that option's line out of the prompt and keep
 * the other letters, which the official val split never needs.
 */
public final class CevalReader implements BenchmarkReader {

    public static final String BENCHMARK = "ceval";

    static final String NO_ANSWER = "no answer (C-Eval withholds test-split labels; use the val split)";
    static final String ANSWER_NOT_A_TO_D = "answer not in A-D";

    private static final List<String> COLUMNS = List.of("id", "question", "A", "B", "C", "D");
    private static final List<String> SPLIT_SUFFIXES = List.of("_val", "_dev", "_test");
    @Override
    public BenchmarkSet read(Path path) throws IOException {
        BenchmarkSet.Builder set = new BenchmarkSet.Builder(BENCHMARK);
        for (Path file : BenchmarkFiles.list(path, BENCHMARK, "csv")) {
            readFile(file, set);
        }
        return set.build();
    }

    private static void readFile(Path file, BenchmarkSet.Builder set) throws IOException {
        List<List<String>> records = CsvReader.read(file);
        List<String> header = records.isEmpty() ? List.of() : records.get(0);
        if (!header.containsAll(COLUMNS)) {
            throw new IOException(file + ": not a C-Eval CSV; expected the header id,question,A,B,C,D,answer,"
                    + " found " + header);
        }
        String subject = subject(file);
        for (List<String> record : records.subList(1, records.size())) {
            set.addRow(() -> item(subject, header, record));
        }
    }

    static String subject(Path file) {
        String stem = BenchmarkFiles.stem(file);
        for (String suffix : SPLIT_SUFFIXES) {
            if (stem.endsWith(suffix)) {
                return stem.substring(0, stem.length() - suffix.length());
            }
        }
        return stem;
    }

    private static BenchmarkItem item(String subject, List<String> header, List<String> record) throws SkippedRow {
        String id = field(header, record, "id");
        String question = field(header, record, "question");
        List<String> choices = new ArrayList<>();
        for (String label : List.of("A", "B", "C", "D")) {
            choices.add(field(header, record, label));
        }
        String answer = value(header, record, "answer").strip();
        if (answer.isEmpty()) {
            throw new SkippedRow(NO_ANSWER);
        }
        if (!BenchmarkItem.A_TO_D.contains(answer)) {
            throw new SkippedRow(ANSWER_NOT_A_TO_D);
        }
        return new BenchmarkItem(BENCHMARK, subject, subject + "/" + id, question, choices, answer);
    }

    private static String field(List<String> header, List<String> record, String column) throws SkippedRow {
        String value = value(header, record, column);
        if (value.isEmpty()) {
            throw SkippedRow.missingField(column);
        }
        return value;
    }

    /** The column's value; empty when the column or the cell is absent. */
    private static String value(List<String> header, List<String> record, String column) {
        int at = header.indexOf(column);
        return at >= 0 && at < record.size() ? record.get(at) : "";
    }
}
