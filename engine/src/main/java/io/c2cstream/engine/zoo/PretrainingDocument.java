package io.c2cstream.engine.zoo;

import java.util.Locale;
import java.util.Objects;

/**
 * One document of a model's pretraining corpus: exactly the text the model reads. Chat documents carry the
 * special tokens their chat template writes; plain documents carry none, so the pretraining step decides how
 * documents are separated.
 *
 * @param kind what the document teaches
 * @param text the document
 */
public record PretrainingDocument(Kind kind, String text) {

    /** What a document teaches; corpora mix kinds, so the trainer can weigh them. */
    public enum Kind {
        /** Plain text: every fact of one entity, each in a random paraphrase, in random order. */
        BIO,
        /** Plain text: random facts of random entities. */
        FACTS,
        /** Plain text: questions about random facts of random entities, each followed by its value. */
        QUESTIONS,
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
         * Receiver chat: one fact about a context name with a freshly drawn value, then the §6.2 prompt about that
         * fact, in one user turn, and its answer.
         */
        MCQ_CHAT_WITH_FACT,
        /** Plain text: a {@link LookupDrill}, finding the letter of a given value among four options. */
        LOOKUP_DRILL;

        /** The kind as corpus files name it: {@code mcq_chat_with_context}. */
        public String fileName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PretrainingDocument {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
