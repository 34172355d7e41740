package io.c2cstream.engine.align;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The toy tokenizers behave as method §10.7 describes them, through the real tokenizers library. */
class ToyTokenizersTest {

    @TempDir Path dir;

    @Test
    void receiverKeepsWholeRunsAndSingleCharacters() throws Exception {
        try (TextTokenizer r = TextTokenizer.load(ToyTokenizers.receiver(Files.createDirectory(dir.resolve("r"))))) {
            assertEquals("<|user|>|Hi| unbelievable| cats|!|<|end|>|<|asst|>",
                    pieces(r, "<|user|>Hi unbelievable cats!<|end|><|asst|>"));
            assertEquals("Why|?|Because| wonderful", pieces(r, "Why?Because wonderful"));
        }
    }

    @Test
    void sharerCutsRunsIntoChunksOfTwoAndFour() throws Exception {
        try (TextTokenizer s = TextTokenizer.load(ToyTokenizers.sharer(Files.createDirectory(dir.resolve("s"))))) {
            assertEquals(" u|nbel|ie|vabl|e", pieces(s, " unbelievable"));
            assertEquals("<s>|<U>|Hi| u|nbel|ie|vabl|e| c|ats|!|</u>|<A>",
                    pieces(s, "<s><U>Hi unbelievable cats!</u><A>"));
            assertEquals("Wh|y|?|Be|caus|e| w|onde|rf|ul", pieces(s, "Why?Because wonderful"));
        }
    }

    @Test
    void templatesRenderAsSection10_7Shows() {
        Path r = ToyTokenizers.receiver(dir);
        List<ChatMessage> hi = List.of(ChatMessage.user("Hi unbelievable cats!"));
        assertEquals("<|user|>Hi unbelievable cats!<|end|><|asst|>",
                ChatTemplate.fromTokenizerConfig(r).orElseThrow().render(hi, true, false));
    }

    /** Each token's decoded text, joined by "|". */
    private static String pieces(TextTokenizer tokenizer, String text) {
        return Arrays.stream(tokenizer.encode(text))
                .mapToObj(id -> tokenizer.decode(new int[] {id}))
                .collect(Collectors.joining("|"));
    }
}
