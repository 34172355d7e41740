package io.c2cstream.engine.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.c2cstream.engine.RealData;
import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.T2tPrompts;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The zoo's chat templates render as the real Qwen3 and Llama 3 templates do for every zoo conversation shape. */
class ZooChatTemplatesTest {

    private static final List<ChatMessage> HELLO = List.of(ChatMessage.user("Hello"));

    @Test
    void theReceiverWritesTheEmptyThinkBlockWhenThinkingIsOff() {
        ChatTemplate receiver = ZooTokenizerSpec.RECEIVER.chatTemplate();
        assertEquals("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                receiver.render(HELLO, true, false));
        assertEquals("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
                receiver.render(HELLO, true, true));
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nYes<|im_end|>\n"
                        + "<|im_start|>user\nOk?<|im_end|>\n"
                        + "<|im_start|>assistant\n<think>\n\n</think>\n\nNo<|im_end|>\n",
                receiver.render(List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Yes"), ChatMessage.user("Ok?"),
                        ChatMessage.assistant("No")), false, false));
    }

    @Test
    void theSharerOpensWithBosAndNamesEachTurnInAHeader() {
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                ZooTokenizerSpec.SHARER.chatTemplate().render(HELLO, true, false));
    }

    @Test
    void theReceiverTemplateRendersZooConversationsAsQwen3Does() {
        ChatTemplate qwen3 = ChatTemplate.fromTokenizerConfig(RealData.tokenizer("qwen3")).orElseThrow();
        assertSameRendering(qwen3, ZooTokenizerSpec.RECEIVER.chatTemplate());
    }

    @Test
    void theSharerTemplateRendersZooConversationsAsLlama3Does() {
        ChatTemplate llama3 = ChatTemplate.fromTokenizerConfig(RealData.tokenizer("llama3")).orElseThrow();
        assertSameRendering(llama3, ZooTokenizerSpec.SHARER.chatTemplate());
    }

    private static void assertSameRendering(ChatTemplate real, ChatTemplate zoo) {
        ZooWorld world = ZooWorld.standard();
        BenchmarkItem item = ZooQuestions.heldOut(world).get(0);
        Entity entity = world.entities(EntitySplit.PRIVATE_HELD_OUT).get(0);
        List<ChatMessage> withContext = new ArrayList<>(
                T2tPrompts.receiverConversation(T2tPrompts.BACKGROUND, item, entity.description()));
        List<List<ChatMessage>> conversations = List.of(ZooQuestions.conversation(item),
                ZooQuestions.conversation(item).subList(0, 1), SharerCorpus.backgroundChat(entity, Attribute.CITY),
                withContext);
        for (List<ChatMessage> conversation : conversations) {
            for (boolean generationPrompt : List.of(true, false)) {
                assertEquals(real.render(conversation, generationPrompt, false),
                        zoo.render(conversation, generationPrompt, false), conversation.toString());
            }
        }
    }
}
