package io.c2cstream.engine.zoo;

import io.c2cstream.engine.eval.AnswerExtractor;
import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.McqPrompt;
import io.c2cstream.engine.eval.T2tPrompts;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.generate.Generator;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures during pretraining whether the receiver has learnt the two skills C2C and T2T rely on, by greedy
 * generation and the answer extraction of method §6.3, exactly as an evaluation would:
 * <ul>
 *   <li>public questions: the §6.2 prompt about a public entity with option sets no document used; the share of
 *       replies naming the right value first, and the share whose extracted letter is right;</li>
 *   <li>fact reading: the §6.2 prompt right after the one fact that answers it, about a context name with freshly
 *       drawn values, so only reading the fact answers it;</li>
 *   <li>reading: the T2T receiver conversation about such an entity, whose description answers it.</li>
 * </ul>
 * A receiver that names values but not letters matches options poorly; one that cannot read a fact in its prompt
 * has no place where C2C could hand it one; one that fails reading cannot use T2T.
 */
public final class ReceiverProbe {

    /** Shares of correct answers, each in [0, 1]. */
    public record Result(double publicValue, double publicLetter, double factReadingLetter, double readingLetter) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "public value %.0f%% letter %.0f%%, fact reading %.0f%%, reading %.0f%%",
                    100 * publicValue, 100 * publicLetter, 100 * factReadingLetter, 100 * readingLetter);
        }
    }

    private static final int MAX_NEW_TOKENS = 12;

    private final List<BenchmarkItem> publicItems;
    private final List<BenchmarkItem> readingItems;
    private final List<String> readingDescriptions;
    private final List<String> readingFacts;

    private ReceiverProbe(List<BenchmarkItem> publicItems, List<BenchmarkItem> readingItems,
                          List<String> readingDescriptions, List<String> readingFacts) {
        this.publicItems = publicItems;
        this.readingItems = readingItems;
        this.readingDescriptions = readingDescriptions;
        this.readingFacts = readingFacts;
    }

    /** {@code perKind} questions of each kind, drawn from the world's own seed. */
    public static ReceiverProbe of(ZooWorld world, int perKind) {
        Random random = Seeds.random(world.seed(), "receiver-probe");
        List<ZooQuestions.Subject> publicSubjects = sample(world.entities(EntitySplit.PUBLIC), perKind, random);
        List<ZooQuestions.Subject> readingSubjects =
                ZooQuestions.freshSubjects(world.entities(EntitySplit.CONTEXT), perKind, random);
        List<BenchmarkItem> publicItems = ZooQuestions.ask(publicSubjects, 1, random);
        List<BenchmarkItem> readingItems = ZooQuestions.ask(readingSubjects, 1, random);
        return new ReceiverProbe(publicItems, readingItems,
                readingSubjects.stream().map(s -> s.entity().description()).toList(),
                readingSubjects.stream().map(s -> FactDocuments.sentence(s.entity(), s.attribute(), random)).toList());
    }

    private static List<ZooQuestions.Subject> sample(List<Entity> entities, int count, Random random) {
        List<ZooQuestions.Subject> subjects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            subjects.add(new ZooQuestions.Subject(entities.get(random.nextInt(entities.size())), Attribute.drawn(random)));
        }
        return subjects;
    }

    /** Runs every probe question through {@code model} in one batch per kind. */
    public Result run(TransformerModel model, TextTokenizer tokenizer) {
        ChatTemplate template = ZooTokenizerSpec.RECEIVER.chatTemplate();
        Generator generator = new Generator(model, tokenizer::decodeSkippingSpecial, 0);
        SamplingConfig greedy = SamplingConfig.greedy(MAX_NEW_TOKENS, tokenizer.eosIds());
        List<int[]> publicPrompts = new ArrayList<>();
        for (BenchmarkItem item : publicItems) {
            publicPrompts.add(encode(tokenizer, template, List.of(ChatMessage.user(McqPrompt.of(item)))));
        }
        List<int[]> readingPrompts = new ArrayList<>();
        List<int[]> factPrompts = new ArrayList<>();
        for (int i = 0; i < readingItems.size(); i++) {
            readingPrompts.add(encode(tokenizer, template, T2tPrompts.receiverConversation(T2tPrompts.BACKGROUND,
                    readingItems.get(i), readingDescriptions.get(i))));
            factPrompts.add(encode(tokenizer, template, List.of(ChatMessage.user(
                    ZooQuestions.afterFact(readingFacts.get(i), readingItems.get(i))))));
        }
        List<String> publicReplies = replies(generator.generate(publicPrompts, greedy));
        List<String> factReplies = replies(generator.generate(factPrompts, greedy));
        List<String> readingReplies = replies(generator.generate(readingPrompts, greedy));
        int values = 0;
        for (int i = 0; i < publicItems.size(); i++) {
            BenchmarkItem item = publicItems.get(i);
            values += publicReplies.get(i).startsWith(ZooQuestions.ANSWER_OPENING
                    + item.choices().get(item.gold().charAt(0) - 'A')) ? 1 : 0;
        }
        return new Result((double) values / publicItems.size(), letterAccuracy(publicItems, publicReplies),
                letterAccuracy(readingItems, factReplies), letterAccuracy(readingItems, readingReplies));
    }

    private static int[] encode(TextTokenizer tokenizer, ChatTemplate template, List<ChatMessage> messages) {
        return tokenizer.encode(template.render(messages, true, false));
    }

    private static List<String> replies(List<Generation> generations) {
        return generations.stream().map(g -> AnswerExtractor.cleanGenerated(g.text())).toList();
    }

    private static double letterAccuracy(List<BenchmarkItem> items, List<String> replies) {
        int correct = 0;
        for (int i = 0; i < items.size(); i++) {
            correct += AnswerExtractor.extract(replies.get(i)).filter(items.get(i).gold()::equals).isPresent() ? 1 : 0;
        }
        return (double) correct / items.size();
    }
}
