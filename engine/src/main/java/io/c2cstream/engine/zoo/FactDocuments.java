package io.c2cstream.engine.zoo;

import io.c2cstream.engine.eval.McqPrompt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/** Plain-text documents stating entities' facts, the knowledge half of both pretraining corpora. */
final class FactDocuments {

    /** Sentences in a {@link PretrainingDocument.Kind#FACTS} document. */
    static final int FACTS_PER_DOCUMENT = 6;

    private FactDocuments() {}

    /** Every fact of the entity once, each in a random paraphrase, in random order. */
    static String bio(Entity entity, Random random) {
        List<String> sentences = new ArrayList<>();
        for (Attribute attribute : Attribute.values()) {
            sentences.add(sentence(entity, attribute, random));
        }
        Collections.shuffle(sentences, random);
        return String.join(" ", sentences);
    }

    /** {@value #FACTS_PER_DOCUMENT} facts of entities drawn uniformly, attributes and paraphrases too. */
    static String facts(List<Entity> entities, Random random) {
        return drawn(entities, random, (entity, attribute) -> sentence(entity, attribute, random));
    }

    /** {@code documentsPerEntity} answered-question documents ({@link #questions}) per entity. */
    static List<PretrainingDocument> answeredQuestions(List<Entity> entities, int documentsPerEntity, Random random) {
        List<PretrainingDocument> documents = new ArrayList<>();
        for (int i = 0; i < documentsPerEntity * entities.size(); i++) {
            documents.add(new PretrainingDocument(PretrainingDocument.Kind.QUESTIONS, questions(entities, random)));
        }
        return documents;
    }

    /**
     * {@value #FACTS_PER_DOCUMENT} questions about facts drawn like {@link #facts}'s, each asked with the opening of
     * the §6.2 prompt and answered by its value right after it: "Accurately answer the following question:\n\nWhat
     * is Kedo's favorite color?\n\n purple."
     */
    private static String questions(List<Entity> entities, Random random) {
        return drawn(entities, random, (entity, attribute) ->
                McqPrompt.opening(attribute.question(entity.name())) + " " + entity.value(attribute) + ".");
    }

    /** {@value #FACTS_PER_DOCUMENT} facts, entity then attribute drawn uniformly, each written by {@code text}. */
    private static String drawn(List<Entity> entities, Random random, BiFunction<Entity, Attribute, String> text) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < FACTS_PER_DOCUMENT; i++) {
            Entity entity = entities.get(random.nextInt(entities.size()));
            Attribute attribute = Attribute.drawn(random);
            parts.add(text.apply(entity, attribute));
        }
        return String.join(" ", parts);
    }

    /** The fact in one of its paraphrases, drawn uniformly. */
    static String sentence(Entity entity, Attribute attribute, Random random) {
        List<String> paraphrases = attribute.paraphrases(entity.name(), entity.value(attribute));
        return paraphrases.get(random.nextInt(paraphrases.size()));
    }

    /**
     * The plain-text part of a corpus: {@code biosPerEntity} bios of every entity, then
     * {@code factDocumentsPerEntity} random-fact documents per entity.
     */
    static List<PretrainingDocument> plainText(List<Entity> entities, int biosPerEntity, int factDocumentsPerEntity,
                                               Random random) {
        List<PretrainingDocument> documents = new ArrayList<>();
        for (Entity entity : entities) {
            for (int i = 0; i < biosPerEntity; i++) {
                documents.add(new PretrainingDocument(PretrainingDocument.Kind.BIO, bio(entity, random)));
            }
        }
        for (int i = 0; i < factDocumentsPerEntity * entities.size(); i++) {
            documents.add(new PretrainingDocument(PretrainingDocument.Kind.FACTS, facts(entities, random)));
        }
        return documents;
    }
}
