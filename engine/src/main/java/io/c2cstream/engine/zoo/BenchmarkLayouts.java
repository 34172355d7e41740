package io.c2cstream.engine.zoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.eval.BenchmarkItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes multiple-choice items in the layouts the real benchmarks are published in, so that the project's own
 * readers ({@code ArcReader}, {@code OpenBookQaReader}, {@code MmluReduxReader}, {@code CevalReader}) read them
 * exactly as they read the real files. Every layout keeps an item's question, options in order and gold letter.
 */
public final class BenchmarkLayouts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSV_QUOTED = Pattern.compile("[\",\r\n]");

    private BenchmarkLayouts() {}

    /**
     * ARC-Challenge as Hugging Face publishes it, JSON Lines:
     * {@code {"id", "question", "choices": {"text": [..], "label": ["A", ..]}, "answerKey"}}.
     */
    public static void writeArc(Path file, List<BenchmarkItem> items) {
        StringBuilder out = new StringBuilder();
        for (BenchmarkItem item : items) {
            ObjectNode row = JSON.createObjectNode();
            row.put("id", item.id());
            row.put("question", item.question());
            ObjectNode choices = row.putObject("choices");
            ArrayNode texts = choices.putArray("text");
            ArrayNode labels = choices.putArray("label");
            for (int i = 0; i < item.choices().size(); i++) {
                texts.add(item.choices().get(i));
                labels.add(BenchmarkItem.label(i));
            }
            row.put("answerKey", item.gold());
            out.append(json(row)).append('\n');
        }
        write(file, out.toString());
    }

    /**
     * OpenBookQA as AI2's official TSV: header {@code ID, Question Stem, Choices, Complete Question, Answer Key},
     * options in one field as {@code "(A) … (B) …"}. The format has no quoting, so no field may hold a tab or a
     * line break.
     */
    public static void writeOpenBookQa(Path file, List<BenchmarkItem> items) {
        StringBuilder out = new StringBuilder("ID\tQuestion Stem\tChoices\tComplete Question\tAnswer Key\n");
        for (BenchmarkItem item : items) {
            StringBuilder choices = new StringBuilder();
            for (int i = 0; i < item.choices().size(); i++) {
                choices.append(i == 0 ? "" : " ").append('(').append(BenchmarkItem.label(i)).append(") ")
                        .append(item.choices().get(i));
            }
            List<String> fields = List.of(item.id(), item.question(), choices.toString(),
                    item.question() + " " + choices, item.gold());
            for (String field : fields) {
                if (field.contains("\t") || field.contains("\n") || field.contains("\r")) {
                    throw new IllegalArgumentException(item.id() + ": an OpenBookQA TSV field cannot hold a tab or a"
                            + " line break: " + field);
                }
            }
            out.append(String.join("\t", fields)).append('\n');
        }
        write(file, out.toString());
    }

    /**
     * MMLU-Redux as Hugging Face rows, JSON Lines in {@code dir/<subject>.jsonl}: {@code question, choices,
     * answer} (the gold index), {@code error_type "ok"}, {@code source}, and {@code correct_answer} and
     * {@code potential_reason} null, as for rows the annotators found correct.
     *
     * @return the file written
     */
    public static Path writeMmluRedux(Path dir, String subject, String source, List<BenchmarkItem> items) {
        StringBuilder out = new StringBuilder();
        for (BenchmarkItem item : items) {
            ObjectNode row = JSON.createObjectNode();
            row.put("question", item.question());
            ArrayNode choices = row.putArray("choices");
            item.choices().forEach(choices::add);
            row.put("answer", item.gold().charAt(0) - 'A');
            row.put("error_type", "ok");
            row.put("source", source);
            row.putNull("correct_answer");
            row.putNull("potential_reason");
            out.append(json(row)).append('\n');
        }
        Path file = dir.resolve(subject + ".jsonl");
        write(file, out.toString());
        return file;
    }

    /**
     * C-Eval as its official CSV of the val split, {@code dir/<subject>_val.csv}: header
     * {@code id,question,A,B,C,D,answer}, ids counting from 0, fields quoted where RFC 4180 requires.
     *
     * @return the file written
     * @throws IllegalArgumentException for an item without exactly four options
     */
    public static Path writeCeval(Path dir, String subject, List<BenchmarkItem> items) {
        StringBuilder out = new StringBuilder("id,question,A,B,C,D,answer\n");
        for (int id = 0; id < items.size(); id++) {
            BenchmarkItem item = items.get(id);
            if (item.choices().size() != 4) {
                throw new IllegalArgumentException(item.id() + ": C-Eval items have four options, not "
                        + item.choices().size());
            }
            out.append(id).append(',').append(csv(item.question()));
            item.choices().forEach(choice -> out.append(',').append(csv(choice)));
            out.append(',').append(item.gold()).append('\n');
        }
        Path file = dir.resolve(subject + "_val.csv");
        write(file, out.toString());
        return file;
    }

    private static String csv(String field) {
        return CSV_QUOTED.matcher(field).find() ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    private static String json(ObjectNode row) {
        try {
            return JSON.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
