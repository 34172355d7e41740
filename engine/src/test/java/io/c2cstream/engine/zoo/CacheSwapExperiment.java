package io.c2cstream.engine.zoo;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.eval.McqPrompt;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An experiment, not part of the suite (surefire does not pick up the name): from which prompt positions does a
 * zoo receiver's reply read the value it names? A fuser can only help by writing where the reply reads
 * (zoo/README.md, "What the sharer's cache holds"). For pairs of public entities A and B with different values of
 * one attribute, asked with the same options, the receiver prefills the §6.2 prompt about A; then the cache entries
 * of some positions are replaced, in every layer, by those of the prompt about B, and the receiver reads "My choice
 * is" and names a value. If the reply reads the replaced positions, it names B's value. Run from the repository
 * root:
 * <pre>
 * mvn -B -o -pl engine test-compile
 * mvn -B -o -pl engine surefire:test -Dtest=CacheSwapExperiment -DfailIfNoTests=false \
 *     -Dswap.pairs=100 -Dai.djl.pytorch.num_threads=1
 * </pre>
 * {@code swap.receiver} defaults to the committed zoo's receiver; another must be of a recipe whose replies open with
 * "My choice is" (builds 9 and later); {@code swap.pairs} defaults to 100.
 */
class CacheSwapExperiment {

    /** Positions whose cache entries come from the other prompt. */
    private enum Swapped { NONE, NAME, QUESTION_END, NAME_TO_QUESTION_END, AFTER_NAME, ALL }

    @Test
    void findsWhereTheReplyReadsTheValue() {
        // Tests run in the module directory; the zoo sits at the project root.
        Path receiverDir = Path.of(System.getProperty("swap.receiver", "../zoo/receiver"));
        int pairs = Integer.getInteger("swap.pairs", 100);
        List<Entity> entities = ZooWorld.standard().entities(EntitySplit.PUBLIC);
        Random random = new Random(7);
        int[][] named = new int[Swapped.values().length][3];
        try (LanguageModel receiver = LanguageModel.load(receiverDir, Device.cpu())) {
            TextTokenizer tokenizer = receiver.tokenizer();
            ChatTemplate template = receiver.requireChatTemplate("the swap experiment");
            int[] reply = tokenizer.encode(ZooQuestions.ANSWER_OPENING.strip());
            int done = 0;
            while (done < pairs) {
                Entity a = entities.get(random.nextInt(entities.size()));
                Entity b = entities.get(random.nextInt(entities.size()));
                Attribute attribute = Attribute.drawn(random);
                String valueA = a.value(attribute);
                String valueB = b.value(attribute);
                if (valueA.equals(valueB)) {
                    continue;
                }
                List<String> others = new ArrayList<>(attribute.options());
                others.removeAll(List.of(valueA, valueB));
                Collections.shuffle(others, random);
                List<String> choices = new ArrayList<>(List.of(valueA, valueB, others.get(0), others.get(1)));
                Collections.shuffle(choices, random);
                int[] promptA = prompt(tokenizer, template, attribute.question(a.name()), choices);
                int[] promptB = prompt(tokenizer, template, attribute.question(b.name()), choices);
                if (promptA.length != promptB.length) {
                    continue;
                }
                int nameFrom = -1;
                int nameTo = -1;
                int questionEnd = -1;
                for (int i = 0; i < promptA.length; i++) {
                    if (promptA[i] != promptB[i]) {
                        nameFrom = nameFrom < 0 ? i : nameFrom;
                        nameTo = i + 1;
                    }
                    if (questionEnd < 0 && tokenizer.decode(new int[] {promptA[i]}).startsWith("?")) {
                        questionEnd = i;
                    }
                }
                int idA = tokenizer.encode(" " + valueA)[0];
                int idB = tokenizer.encode(" " + valueB)[0];
                try (NDManager scope = NDManager.newBaseManager();
                     KvCache cacheB = receiver.model().newCache(1, promptB.length)) {
                    receiver.model().forward(TokenBatch.single(promptB, cacheB), cacheB, TransformerModel.Logits.LAST,
                            scope);
                    for (Swapped swapped : Swapped.values()) {
                        int[] range = switch (swapped) {
                            case NONE -> new int[] {0, 0};
                            case NAME -> new int[] {nameFrom, nameTo};
                            case QUESTION_END -> new int[] {questionEnd, questionEnd + 1};
                            case NAME_TO_QUESTION_END -> new int[] {nameFrom, questionEnd + 1};
                            case AFTER_NAME -> new int[] {nameTo, promptA.length};
                            case ALL -> new int[] {0, promptA.length};
                        };
                        int value = namedValue(receiver.model(), promptA, cacheB, range[0], range[1], reply);
                        named[swapped.ordinal()][value == idA ? 0 : value == idB ? 1 : 2]++;
                    }
                }
                done++;
            }
        }
        for (Swapped swapped : Swapped.values()) {
            int[] n = named[swapped.ordinal()];
            System.out.printf("swapped %-20s names A's value %3d, B's %3d, another %3d%n", swapped, n[0], n[1], n[2]);
        }
    }

    private static int[] prompt(TextTokenizer tokenizer, ChatTemplate template, String question, List<String> choices) {
        String user = McqPrompt.of(question, choices);
        return tokenizer.encode(template.render(List.of(ChatMessage.user(user)), true, false));
    }

    /** The token the receiver writes after {@code reply}, with positions [from, to) of A's cache taken from B's. */
    private static int namedValue(TransformerModel model, int[] promptA, KvCache cacheB, int from, int to,
                                  int[] reply) {
        try (NDManager scope = NDManager.newBaseManager();
             KvCache cacheA = model.newCache(1, promptA.length + reply.length)) {
            model.forward(TokenBatch.single(promptA, cacheA), cacheA, TransformerModel.Logits.LAST, scope);
            for (int layer = 0; to > from && layer < model.config().numLayers(); layer++) {
                cacheA.overwrite(layer, from, cacheB.readKeys(layer, from, to, scope),
                        cacheB.readValues(layer, from, to, scope));
            }
            float[] logits = model.forward(TokenBatch.single(reply, cacheA), cacheA, TransformerModel.Logits.LAST,
                    scope).toFloatArray();
            int best = 0;
            for (int k = 1; k < logits.length; k++) {
                best = logits[k] > logits[best] ? k : best;
            }
            return best;
        }
    }
}
