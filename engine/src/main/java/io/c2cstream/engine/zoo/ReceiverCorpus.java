package io.c2cstream.engine.zoo;

import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.T2tPrompts;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The receiver's pretraining corpus: the facts of the public entities, as text and as answered questions,
 * multiple-choice questions about them in the exact prompt of method §6.2 with the answer style of
 * {@link ZooQuestions#answer}, and reading practice: questions preceded by a description of the entity, in the
 * shape of the T2T baseline's second stage, mostly about context entities whose facts appear nowhere else. It never
 * mentions a private entity.
 */
public final class ReceiverCorpus {

    static final int BIOS_PER_ENTITY = 4;
    static final int FACT_DOCUMENTS_PER_ENTITY = 10;

    /**
     * Answered-question documents per public entity, as the sharer reads about every entity: they teach the receiver
     * to recall a value where the question ends too, the position where the sharer's cache holds its recall; whether
     * its replies then read that position is open (zoo/README.md, "What the sharer's cache holds").
     */
    static final int QUESTION_DOCUMENTS_PER_ENTITY = 4;

    /** Option sets per attribute of every public entity. */
    static final int QUESTION_VARIANTS = 4;

    private ReceiverCorpus() {}

    /**
     * The documents in a seeded random order: with the default sizes 400 bios, 1,000 fact documents, 400
     * answered-question documents, 2,000 questions and 850 questions with context (one per attribute of every
     * context entity, one per public entity), so about 30 % of the multiple-choice questions come with context.
     */
    public static List<PretrainingDocument> documents(ZooWorld world) {
        Random random = Seeds.random(world.seed(), "receiver-corpus");
        List<Entity> known = world.entities(EntitySplit.PUBLIC);
        ChatTemplate template = ZooTokenizerSpec.RECEIVER.chatTemplate();
        List<PretrainingDocument> documents = new ArrayList<>(
                FactDocuments.plainText(known, BIOS_PER_ENTITY, FACT_DOCUMENTS_PER_ENTITY, random));
        for (BenchmarkItem item : ZooQuestions.ask(ZooQuestions.everyAttribute(known), QUESTION_VARIANTS, random)) {
            documents.add(new PretrainingDocument(PretrainingDocument.Kind.MCQ_CHAT,
                    template.render(ZooQuestions.conversation(item), false, false)));
        }
        List<ZooQuestions.Subject> contextSubjects =
                new ArrayList<>(ZooQuestions.everyAttribute(world.entities(EntitySplit.CONTEXT)));
        for (Entity entity : known) {
            contextSubjects.add(new ZooQuestions.Subject(entity, Attribute.values()[random.nextInt(
                    Attribute.values().length)]));
        }
        List<BenchmarkItem> contextItems = ZooQuestions.ask(contextSubjects, 1, random);
        for (int i = 0; i < contextItems.size(); i++) {
            documents.add(withContext(template, contextItems.get(i), contextSubjects.get(i).entity()));
        }
        documents.addAll(FactDocuments.answeredQuestions(known, QUESTION_DOCUMENTS_PER_ENTITY, random));
        Collections.shuffle(documents, random);
        return documents;
    }

    /**
     * The T2T baseline's receiver conversation (the background request, the description as the reply, then the
     * §6.2 prompt) with the answer appended.
     */
    private static PretrainingDocument withContext(ChatTemplate template, BenchmarkItem item, Entity entity) {
        List<ChatMessage> messages = new ArrayList<>(
                T2tPrompts.receiverConversation(T2tPrompts.BACKGROUND, item, entity.description()));
        messages.add(ChatMessage.assistant(ZooQuestions.answer(item)));
        return new PretrainingDocument(PretrainingDocument.Kind.MCQ_CHAT_WITH_CONTEXT,
                template.render(messages, false, false));
    }
}
