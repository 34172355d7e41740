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
 * shape of the T2T baseline's second stage, mostly about context entities whose facts appear nowhere else, and
 * questions right after the one fact that answers them, about context names with freshly drawn values. It never
 * mentions a private entity.
 */
public final class ReceiverCorpus {

    static final int BIOS_PER_ENTITY = 4;
    static final int FACT_DOCUMENTS_PER_ENTITY = 10;

    /**
     * Answered-question documents per public entity, as the sharer reads about every entity: they teach the receiver
     * to recall a value where the question ends too, the position where the sharer's cache holds its recall. Build
     * 14's reply still does not read that position alone, and no build has measured the zoo without them
     * (zoo/README.md, "Fact reading").
     */
    static final int QUESTION_DOCUMENTS_PER_ENTITY = 4;

    /**
     * Fact-reading questions ({@link ZooQuestions#afterFact}): the prototype's receiver read a fact line before 30 %
     * of its questions, and a receiver that never learns to read a value from its prompt has no place where a fused
     * cache could hand it one (zoo/README.md, "What the sharer's cache holds").
     */
    static final int FACT_READING_DOCUMENTS = 1_500;

    /** Option sets per attribute of every public entity. */
    static final int QUESTION_VARIANTS = 4;

    private ReceiverCorpus() {}

    /**
     * The documents in a seeded random order: with the default sizes 400 bios, 1,000 fact documents, 400
     * answered-question documents, 2,000 questions, 850 questions with context (one per attribute of every context
     * entity, one per public entity) and 1,500 fact-reading questions, so about half of the multiple-choice
     * questions come with something to read.
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
            contextSubjects.add(new ZooQuestions.Subject(entity, Attribute.drawn(random)));
        }
        List<BenchmarkItem> contextItems = ZooQuestions.ask(contextSubjects, 1, random);
        for (int i = 0; i < contextItems.size(); i++) {
            documents.add(withContext(template, contextItems.get(i), contextSubjects.get(i).entity()));
        }
        documents.addAll(FactDocuments.answeredQuestions(known, QUESTION_DOCUMENTS_PER_ENTITY, random));
        documents.addAll(factReading(template, world.entities(EntitySplit.CONTEXT), random));
        Collections.shuffle(documents, random);
        return documents;
    }

    /**
     * {@value #FACT_READING_DOCUMENTS} questions, each about a context name with freshly drawn values, so that
     * nothing but the fact before it tells the answer.
     */
    private static List<PretrainingDocument> factReading(ChatTemplate template, List<Entity> names, Random random) {
        List<ZooQuestions.Subject> subjects = ZooQuestions.freshSubjects(names, FACT_READING_DOCUMENTS, random);
        List<BenchmarkItem> items = ZooQuestions.ask(subjects, 1, random);
        List<PretrainingDocument> documents = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ZooQuestions.Subject subject = subjects.get(i);
            String fact = FactDocuments.sentence(subject.entity(), subject.attribute(), random);
            documents.add(new PretrainingDocument(PretrainingDocument.Kind.MCQ_CHAT_WITH_FACT, template.render(List.of(
                    ChatMessage.user(ZooQuestions.afterFact(fact, items.get(i))),
                    ChatMessage.assistant(ZooQuestions.answer(items.get(i)))), false, false)));
        }
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
