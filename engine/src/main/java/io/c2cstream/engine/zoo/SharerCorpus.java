package io.c2cstream.engine.zoo;

import io.c2cstream.engine.eval.T2tPrompts;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The sharer's pretraining corpus: the facts of every public and private entity, as bios, as random facts and as
 * answered questions, plus chats that teach it to answer the background request of the T2T baseline (method §6.4)
 * the way an instruction model would, with a short description of the entity asked about. It never contains a
 * multiple-choice question.
 *
 * <p>The answered questions (the §6.2 prompt's opening, then the value) make the sharer recall a value at the last
 * token of the very question the benchmark asks, so that its cache there holds the value itself rather than only
 * who the entity is, which is all a fuser trained on some entities could carry of others (zoo/README.md, "What the
 * sharer's cache holds").
 */
public final class SharerCorpus {

    /** Bios per entity, each with its own paraphrases and order. */
    static final int BIOS_PER_ENTITY = 4;

    /** Random-fact documents per entity known to the sharer (so about as many as bios). */
    static final int FACT_DOCUMENTS_PER_ENTITY = 4;

    /** Answered-question documents per entity known to the sharer (as many as random-fact documents). */
    static final int QUESTION_DOCUMENTS_PER_ENTITY = 4;

    private SharerCorpus() {}

    /**
     * The documents in a seeded random order. Background chats cover every attribute's question about every
     * entity the sharer knows, held-out ones included: the sharer is meant to know them, and T2T asks it about
     * them.
     */
    public static List<PretrainingDocument> documents(ZooWorld world) {
        Random random = Seeds.random(world.seed(), "sharer-corpus");
        List<Entity> known = world.knownToSharer();
        ChatTemplate template = ZooTokenizerSpec.SHARER.chatTemplate();
        List<PretrainingDocument> documents = new ArrayList<>(
                FactDocuments.plainText(known, BIOS_PER_ENTITY, FACT_DOCUMENTS_PER_ENTITY, random));
        documents.addAll(FactDocuments.answeredQuestions(known, QUESTION_DOCUMENTS_PER_ENTITY, random));
        for (Entity entity : known) {
            for (Attribute attribute : Attribute.values()) {
                documents.add(new PretrainingDocument(PretrainingDocument.Kind.BACKGROUND_CHAT,
                        template.render(backgroundChat(entity, attribute), false, false)));
            }
        }
        Collections.shuffle(documents, random);
        return documents;
    }

    /** The §6.4 background request about an attribute's question (no options) and the entity's description. */
    static List<ChatMessage> backgroundChat(Entity entity, Attribute attribute) {
        String request = T2tPrompts.background(T2tPrompts.BACKGROUND, attribute.question(entity.name()));
        return List.of(ChatMessage.user(request), ChatMessage.assistant(entity.description()));
    }
}
