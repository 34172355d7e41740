package io.c2cstream.engine.zoo;

import java.util.Locale;
import java.util.Objects;

/**
 * One document of a model's pretraining corpus: exactly the text the model reads. Chat documents carry the
 * special tokens their chat template writes; plain documents carry none, so the pretraining step decides how
 * documents are separated.
 *
 * @param kind        what the document teaches
 * @param text        the document
 * @param answerStart where the part the model learns to write begins; the text before it is only read (0: the
 *                    model learns all of it). Teaching only answers keeps the gradient on the skill a question
 *                    practises instead of on predicting its randomly drawn options.
 */
public record PretrainingDocument(Kind kind, String text, int answerStart) {

    /** What a document teaches; corpora mix kinds, so the trainer can weigh them. */
    public enum Kind {
        /** Plain text: every fact of one entity, each in a random paraphrase, in random order. */
        BIO,
        /** Plain text: random facts of random entities. */
        FACTS,
        /** Sharer chat: the §6.4 background request about a question, answered with the entity's description. */
        BACKGROUND_CHAT,
        /** Receiver chat: the §6.2 prompt about a public entity and its answer. */
        MCQ_CHAT,
        /**
         * Receiver chat in the shape of the T2T baseline's second stage: a background request answered with an
         * entity's description, then the §6.2 prompt about that entity and its answer.
         */
        MCQ_CHAT_WITH_CONTEXT,
        /**
         * Plain text: an options block of the §6.2 layout and the reply naming the option's value then its label,
         * without a question, so that the matching of a value to its label is practised many times per sequence.
         */
        CHOICE_DRILL,
        /**
         * Plain text: a description of an entity with freshly drawn values and a question answered with one of
         * them, so that only reading the description answers it.
         */
        READING_DRILL;

        /** The kind as corpus files name it: {@code mcq_chat_with_context}. */
        public String fileName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PretrainingDocument {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        if (answerStart < 0 || answerStart > text.length()) {
            throw new IllegalArgumentException("answerStart " + answerStart + " outside a text of " + text.length()
                    + " characters");
        }
    }

    /** A document the model learns to write in full. */
    public PretrainingDocument(Kind kind, String text) {
        this(kind, text, 0);
    }

    /** A document that is {@code prompt} (only read) followed by {@code answer} (learnt). */
    public static PretrainingDocument answered(Kind kind, String prompt, String answer) {
        return new PretrainingDocument(kind, prompt + answer, prompt.length());
    }

    /** The text the model only reads. */
    public String prompt() {
        return text.substring(0, answerStart);
    }

    /** The text the model learns to write. */
    public String answer() {
        return text.substring(answerStart);
    }
}
