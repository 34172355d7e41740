package io.c2cstream.engine.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.align.AlignedPrompt;
import io.c2cstream.engine.align.AlignmentStrategy;
import io.c2cstream.engine.align.ChatAligner;
import io.c2cstream.engine.align.TokenAligner;
import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.McqPrompt;
import io.c2cstream.engine.eval.T2tPrompts;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import io.c2cstream.engine.tokenizer.Encoding;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zoo tokenizers as the engine loads them: DJL's Hugging Face tokenizers and the project's aligner. */
class ZooTokenizersTest {

    @TempDir static Path dir;

    private static TextTokenizer receiver;
    private static TextTokenizer sharer;

    private final ZooData data = ZooFixture.data();

    @BeforeAll
    static void writeAndLoad() {
        ZooData data = ZooFixture.data();
        receiver = TextTokenizer.load(TokenizerFiles.write(dir.resolve("receiver"), ZooTokenizerSpec.RECEIVER,
                data.receiverTokenizer()));
        sharer = TextTokenizer.load(TokenizerFiles.write(dir.resolve("sharer"), ZooTokenizerSpec.SHARER,
                data.sharerTokenizer()));
    }

    @AfterAll
    static void close() {
        receiver.close();
        sharer.close();
    }

    @Test
    void bothTokenizersRoundTripTheirCorporaAndTheQuestions() {
        List<String> texts = new ArrayList<>();
        data.receiverCorpus().stream().limit(300).forEach(document -> texts.add(document.text()));
        data.sharerCorpus().stream().limit(300).forEach(document -> texts.add(document.text()));
        data.heldOutItems().forEach(item -> texts.add(McqPrompt.of(item)));
        texts.add("Über 123,456 numbers — and emoji 🦊 too.");
        for (TextTokenizer tokenizer : List.of(receiver, sharer)) {
            for (String text : texts) {
                assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
            }
        }
    }

    @Test
    void specialTokensAndRolesAreThoseOfQwenAndLlama() {
        assertFalse(receiver.specialTokens().bos().isPresent());
        assertEquals("<|im_end|>", receiver.specialTokens().eos().orElseThrow().content());
        assertEquals("<|endoftext|>", receiver.specialTokens().pad().orElseThrow().content());
        assertEquals("<|begin_of_text|>", sharer.specialTokens().bos().orElseThrow().content());
        assertEquals("<|eot_id|>", sharer.specialTokens().eos().orElseThrow().content());
        assertEquals("<|end_of_text|>", sharer.specialTokens().pad().orElseThrow().content());

        int imStart = receiver.tokenToId("<|im_start|>").orElseThrow();
        int think = receiver.tokenToId("<think>").orElseThrow();
        assertArrayEquals(new int[] {imStart}, receiver.encode("<|im_start|>"));
        assertTrue(receiver.specialTokens().isSpecial(imStart));
        assertFalse(receiver.specialTokens().isSpecial(think), "<think> is an ordinary added token, as in Qwen3");
        assertEquals("<think>\n\n</think>\n\nHi", receiver.decodeSkippingSpecial(
                receiver.encode("<|im_start|>assistant\n<think>\n\n</think>\n\nHi<|im_end|>")).substring(10));
    }

    @Test
    void theVocabulariesGenuinelyDiffer() {
        Set<String> receiverTokens = new HashSet<>(data.receiverTokenizer().vocabulary());
        Set<String> sharerTokens = new HashSet<>(data.sharerTokenizer().vocabulary());
        Set<String> onlyReceiver = new HashSet<>(receiverTokens);
        onlyReceiver.removeAll(sharerTokens);
        Set<String> onlySharer = new HashSet<>(sharerTokens);
        onlySharer.removeAll(receiverTokens);
        assertTrue(onlyReceiver.size() >= 50, "receiver-only tokens: " + onlyReceiver.size());
        assertTrue(onlySharer.size() >= 30, "sharer-only tokens: " + onlySharer.size());
        assertNotEquals(receiver.vocabSize(), sharer.vocabSize());
        // The §6.2 prompt is the receiver's most frequent text; the sharer reads only its opening (answered
        // questions), so the options and instructions split finer there.
        String prompt = McqPrompt.of(data.heldOutItems().get(0));
        String rest = prompt.substring(prompt.indexOf("Choices:"));
        assertTrue(sharer.encode(rest).length > 2 * receiver.encode(rest).length,
                sharer.encode(rest).length + " vs " + receiver.encode(rest).length);
    }

    @Test
    void protectedWordsSplitIdenticallyInBothTokenizers() {
        for (List<String> pieces : data.world().protectedWords()) {
            String word = String.join("", pieces);
            assertEquals(pieces, decodeEach(receiver, receiver.encode(word)), word);
            assertEquals(pieces, decodeEach(sharer, sharer.encode(word)), word);
        }
    }

    @Test
    void everyNameAndValueTokenOfAQuestionAlignsToTheSharerTokenOfTheSameText() {
        TokenAligner aligner = new TokenAligner(receiver, sharer, AlignmentStrategy.LONGEST);
        List<BenchmarkItem> items = new ArrayList<>(data.heldOutItems());
        items.addAll(ZooQuestions.ask(ZooQuestions.everyAttribute(data.world().entities(EntitySplit.PRIVATE_TRAIN)),
                1, new Random(1)));
        for (BenchmarkItem item : items) {
            String prompt = McqPrompt.of(item);
            Encoding encoding = receiver.encodeWithOffsets(prompt);
            int[] sharerIds = aligner.align(encoding.ids());
            List<int[]> spans = knowledgeSpans(prompt, item);
            int knowledgeTokens = 0;
            for (int i = 0; i < encoding.ids().length; i++) {
                if (overlaps(encoding.start(i), encoding.end(i), spans)) {
                    String text = receiver.decode(new int[] {encoding.ids()[i]});
                    assertEquals(text, sharer.decode(new int[] {sharerIds[i]}), item.id() + " token " + i);
                    knowledgeTokens++;
                }
            }
            // Two syllables of the name, and each of the four values whole with its leading space.
            assertEquals(2 + 4, knowledgeTokens, item.id());
        }
    }

    @Test
    void promptsOfAKindHaveOneTokenLengthInEachTokenizer() {
        List<BenchmarkItem> items = new ArrayList<>(data.heldOutItems());
        items.addAll(ZooQuestions.ask(ZooQuestions.everyAttribute(data.world().entities(EntitySplit.PUBLIC)), 1,
                new Random(2)));
        assertOneLength(items, item -> McqPrompt.of(item));
        assertOneLength(items, item -> T2tPrompts.background(T2tPrompts.BACKGROUND, item.question()));
        ChatTemplate receiverTemplate = ZooTokenizerSpec.RECEIVER.chatTemplate();
        Set<Integer> lengths = new HashSet<>();
        for (BenchmarkItem item : items) {
            lengths.add(receiver.encode(receiverTemplate.render(List.of(ChatMessage.user(McqPrompt.of(item))), true,
                    false)).length);
        }
        assertEquals(1, lengths.size(), "rendered receiver prompts: " + lengths);
        Set<Integer> descriptions = new HashSet<>();
        data.world().entities().forEach(entity -> descriptions.add(sharer.encode(entity.description()).length));
        assertEquals(1, descriptions.size(), "descriptions in sharer tokens: " + descriptions);
    }

    @Test
    void fuserConversationsAlignSectionBySection() {
        ChatAligner aligner = new ChatAligner(new TokenAligner(receiver, sharer, AlignmentStrategy.LONGEST),
                ZooTokenizerSpec.RECEIVER.chatTemplate(), ZooTokenizerSpec.SHARER.chatTemplate());
        Set<Integer> lengths = new HashSet<>();
        for (List<ChatMessage> conversation : data.fuserConversations().subList(0, 40)) {
            AlignedPrompt aligned = aligner.align(conversation, false);
            lengths.add(aligned.receiverIds().length);
            String reply = conversation.get(1).content();
            String value = " " + reply.substring(ZooQuestions.ANSWER_OPENING.length(), reply.lastIndexOf(' '));
            // The reply's value is one token in both vocabularies, at the same aligned position.
            int position = aligned.instructionEnd();
            while (!receiver.decode(new int[] {aligned.receiverIds()[position]}).equals(value)) {
                position++;
            }
            assertEquals(value, sharer.decode(new int[] {aligned.sharerIds()[position]}), reply);
        }
        assertEquals(1, lengths.size(), "aligned training examples: " + lengths);
    }

    private void assertOneLength(List<BenchmarkItem> items, Function<BenchmarkItem, String> prompt) {
        for (TextTokenizer tokenizer : List.of(receiver, sharer)) {
            Set<Integer> lengths = new HashSet<>();
            items.forEach(item -> lengths.add(tokenizer.encode(prompt.apply(item)).length));
            assertEquals(1, lengths.size(), "token lengths: " + lengths);
        }
    }

    /** Character spans of the entity name and of the four option values in a §6.2 prompt. */
    private static List<int[]> knowledgeSpans(String prompt, BenchmarkItem item) {
        List<int[]> spans = new ArrayList<>();
        int name = prompt.indexOf("What is ") + "What is ".length();
        spans.add(new int[] {name, prompt.indexOf("'s ", name)});
        for (int i = 0; i < item.choices().size(); i++) {
            String line = BenchmarkItem.label(i) + ". " + item.choices().get(i) + "\n";
            int start = prompt.indexOf(line) + 3;
            spans.add(new int[] {start, start + item.choices().get(i).length()});
        }
        return spans;
    }

    private static boolean overlaps(int start, int end, List<int[]> spans) {
        return spans.stream().anyMatch(span -> start < span[1] && end > span[0]);
    }

    private static List<String> decodeEach(TextTokenizer tokenizer, int[] ids) {
        List<String> texts = new ArrayList<>();
        for (int id : ids) {
            texts.add(tokenizer.decode(new int[] {id}));
        }
        return texts;
    }
}
