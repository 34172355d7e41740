package io.c2cstream.engine.zoo;

import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.McqPrompt;
import io.c2cstream.engine.eval.T2tPrompts;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The receiver's pretraining corpus: the facts of the public entities, multiple-choice questions about them in
 * the exact prompt of method §6.2 with the answer style of {@link ZooQuestions#answer}, and reading practice:
 * questions preceded by a description of the entity, in the shape of the T2T baseline's second stage, mostly
 * about context entities whose facts appear nowhere else. It never mentions a private entity.
 *
 * <p>Two kinds of short drills isolate the skills a tiny model otherwise fails to pick out of the long §6.2
 * prompt (the second build named the right value for every public question yet chose its letter at chance):
 * matching a value to its label in an options block, and reading a value out of a description. Each drill
 * draws fresh options or values, so they cannot be memorised, only solved.
 *
 * <p>Questions and drills teach only their answers ({@link PretrainingDocument#answerStart()}): the third build,
 * learning every token, spent its gradient on predicting randomly drawn options and still chose letters at
 * chance after 1,600 steps.
 */
public final class ReceiverCorpus {

    static final int BIOS_PER_ENTITY = 4;
    static final int FACT_DOCUMENTS_PER_ENTITY = 10;

    /** Option sets per attribute of every public entity: enough that no option set can be memorised. */
    static final int QUESTION_VARIANTS = 10;

    static final int CHOICE_DRILLS = 8000;
    static final int READING_DRILLS = 4000;

    private ReceiverCorpus() {}

    /**
     * The documents in a seeded random order: with the default sizes 400 bios, 1,000 fact documents, 5,000
     * questions, 850 questions with context (one per attribute of every context entity, one per public entity),
     * {@value #CHOICE_DRILLS} choice drills and {@value #READING_DRILLS} reading drills.
     */
    public static List<PretrainingDocument> documents(ZooWorld world) {
        Random random = Seeds.random(world.seed(), "receiver-corpus");
        List<Entity> known = world.entities(EntitySplit.PUBLIC);
        ChatTemplate template = ZooTokenizerSpec.RECEIVER.chatTemplate();
        List<PretrainingDocument> documents = new ArrayList<>(
                FactDocuments.plainText(known, BIOS_PER_ENTITY, FACT_DOCUMENTS_PER_ENTITY, random));
        for (BenchmarkItem item : ZooQuestions.ask(ZooQuestions.everyAttribute(known), QUESTION_VARIANTS, random)) {
            documents.add(answeredChat(PretrainingDocument.Kind.MCQ_CHAT,
                    template.render(ZooQuestions.conversation(item), false, false), item));
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
        for (int i = 0; i < CHOICE_DRILLS; i++) {
            documents.add(choiceDrill(random));
        }
        List<Entity> readers = world.entities(EntitySplit.CONTEXT);
        for (int i = 0; i < READING_DRILLS; i++) {
            documents.add(readingDrill(readers.get(random.nextInt(readers.size())).name(), random));
        }
        Collections.shuffle(documents, random);
        return documents;
    }

    /** "Choices:\nA. pink\nB. purple\nC. red\nD. green\n\npurple, so the correct answer is B" */
    static PretrainingDocument choiceDrill(Random random) {
        Attribute attribute = Attribute.values()[random.nextInt(Attribute.values().length)];
        BenchmarkItem item = ZooQuestions.ask(List.of(new ZooQuestions.Subject(Entity.drawn("", EntitySplit.CONTEXT,
                random), attribute)), 1, random).get(0);
        return PretrainingDocument.answered(PretrainingDocument.Kind.CHOICE_DRILL,
                "Choices:\n" + McqPrompt.choiceLines(item.choices()) + "\n", ZooQuestions.answer(item));
    }

    /** "Kedo always wears red. Kedo lives in Oslo. ... What is Kedo's home city? Oslo" with fresh values. */
    static PretrainingDocument readingDrill(String name, Random random) {
        Entity entity = Entity.drawn(name, EntitySplit.CONTEXT, random);
        Attribute attribute = Attribute.values()[random.nextInt(Attribute.values().length)];
        // The space opens the answer: the tokenizers attach it to the word that follows.
        return PretrainingDocument.answered(PretrainingDocument.Kind.READING_DRILL,
                entity.description() + " " + attribute.question(name), " " + entity.value(attribute));
    }

    /**
     * The T2T baseline's receiver conversation (the background request, the description as the reply, then the
     * §6.2 prompt) with the answer appended.
     */
    private static PretrainingDocument withContext(ChatTemplate template, BenchmarkItem item, Entity entity) {
        List<ChatMessage> messages = new ArrayList<>(
                T2tPrompts.receiverConversation(T2tPrompts.BACKGROUND, item, entity.description()));
        messages.add(ChatMessage.assistant(ZooQuestions.answer(item)));
        return answeredChat(PretrainingDocument.Kind.MCQ_CHAT_WITH_CONTEXT, template.render(messages, false, false),
                item);
    }

    /** A rendered conversation of which the receiver learns only its last reply (and the turn's end). */
    private static PretrainingDocument answeredChat(PretrainingDocument.Kind kind, String rendered, BenchmarkItem item) {
        int answerStart = rendered.lastIndexOf(ZooQuestions.answer(item));
        if (answerStart < 0) {
            throw new IllegalStateException("the chat template dropped the answer of " + item.id());
        }
        return new PretrainingDocument(kind, rendered, answerStart);
    }
}
