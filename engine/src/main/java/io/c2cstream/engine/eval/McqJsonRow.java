package io.c2cstream.engine.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A row of AI2's question-answering JSON, in the two layouts ARC and OpenBookQA are published in:
 * Hugging Face's flat rows {@code {"id", <question field>, "choices": {"text": [..], "label": [..]}, "answerKey"}}
 * and AI2's original nested rows {@code {"id", "question": {"stem", "choices": [{"text", "label"}]}, "answerKey"}}.
 * The layout is recognised row by row. As in the reference evaluator, options are relabelled A, B, ... by
 * position, whatever their own labels, and only rows whose {@code answerKey} is A-D are kept: numeric keys
 * and E are skipped.
 */
final class McqJsonRow {

    static final String ANSWER_KEY_NOT_A_TO_D = "answerKey not in A-D";

    private McqJsonRow() {}

    /** @param flatQuestionField the question's field in the flat layout: {@code question} or {@code question_stem} */
    static BenchmarkItem parse(String benchmark, JsonNode row, String flatQuestionField) throws SkippedRow {
        String id = JsonRows.text(row, "id");
        JsonNode nested = row.get("question");
        String question;
        List<String> choices;
        if (nested != null && nested.isObject()) {
            question = nestedText(nested, "stem");
            choices = choiceTexts(nested.get("choices"), "question.choices");
        } else {
            question = JsonRows.text(row, flatQuestionField);
            choices = choiceTexts(row.get("choices"), "choices");
        }
        String answerKey = JsonRows.text(row, "answerKey");
        if (!BenchmarkItem.A_TO_D.contains(answerKey)) {
            throw new SkippedRow(ANSWER_KEY_NOT_A_TO_D);
        }
        return new BenchmarkItem(benchmark, null, id, question, choices, answerKey);
    }

    private static String nestedText(JsonNode question, String name) throws SkippedRow {
        JsonNode value = question.get(name);
        if (value == null || value.isNull()) {
            throw SkippedRow.missingField("question." + name);
        }
        if (!value.isTextual()) {
            throw SkippedRow.malformedField("question." + name);
        }
        return value.textValue();
    }

    /** {@code {"text": [..]}}, or a list of {@code {"text": ..}} objects or of plain strings. */
    private static List<String> choiceTexts(JsonNode choices, String name) throws SkippedRow {
        if (choices == null || choices.isNull()) {
            throw SkippedRow.missingField(name);
        }
        JsonNode list = choices.isObject() ? choices.get("text") : choices;
        if (list == null || !list.isArray()) {
            throw SkippedRow.malformedField(name);
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode choice : list) {
            JsonNode text = choice.isObject() ? choice.get("text") : choice;
            if (text == null || !text.isTextual()) {
                throw SkippedRow.malformedField(name);
            }
            texts.add(text.textValue());
        }
        if (texts.isEmpty() || texts.size() > BenchmarkItem.MAX_CHOICES) {
            throw SkippedRow.malformedField(name);
        }
        return texts;
    }
}
