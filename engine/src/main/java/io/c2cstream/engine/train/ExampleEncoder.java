package io.c2cstream.engine.train;

import io.c2cstream.engine.align.AlignedPrompt;
import io.c2cstream.engine.align.ChatAligner;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import java.util.List;

/**
 * Turns a conversation into a {@link TrainingExample} (method §5.2): the instruction is every message but
 * the last, the reply is the last assistant message. Same-tokenizer pairs render the receiver's template
 * and give the sharer the receiver's ids; pairs with different tokenizers go through the chat aligner
 * (method §3.2), which fuses message tokens only.
 */
public final class ExampleEncoder {
    private final LanguageModel receiver;
    private final ChatTemplate template;
    private final ChatAligner aligner;

    private ExampleEncoder(LanguageModel receiver, ChatAligner aligner) {
        this.receiver = receiver;
        this.template = receiver.requireChatTemplate("fuser training");
        this.aligner = aligner;
    }

    /** Receiver and sharer share one tokenizer: the sharer reads the receiver's ids (method §4.6). */
    public static ExampleEncoder sharedTokenizer(LanguageModel receiver) {
        return new ExampleEncoder(receiver, null);
    }

    /** Receiver and sharer tokenise differently: prompts are aligned position by position. */
    public static ExampleEncoder aligned(LanguageModel receiver, ChatAligner aligner) {
        return new ExampleEncoder(receiver, aligner);
    }

    public TrainingExample encode(List<ChatMessage> messages) {
        if (messages.size() < 2 || !messages.get(messages.size() - 1).role().equals("assistant")) {
            throw new IllegalArgumentException("a training conversation ends with an assistant reply after at least"
                    + " one other message, got roles " + messages.stream().map(ChatMessage::role).toList());
        }
        if (aligner != null) {
            AlignedPrompt a = aligner.align(messages, false);
            return new TrainingExample(a.receiverIds(), a.receiverPadding(), a.sharerIds(), a.sharerPadding(),
                    a.trainingFusionMask(), a.instructionEnd());
        }
        String instruction = template.render(messages.subList(0, messages.size() - 1), true, false);
        String full = template.render(messages, false, false);
        if (!full.startsWith(instruction)) {
            throw new IllegalArgumentException("the chat template renders the instruction differently inside the"
                    + " full conversation, so the reply cannot be located: " + instruction);
        }
        int[] instructionIds = receiver.tokenizer().encode(instruction);
        int[] ids = receiver.tokenizer().encode(full);
        for (int i = 0; i < instructionIds.length; i++) {
            if (i >= ids.length || ids[i] != instructionIds[i]) {
                throw new IllegalArgumentException("the instruction's tokens are not a prefix of the conversation's"
                        + " (token " + i + " differs): the reply boundary falls inside a token");
            }
        }
        return TrainingExample.sharedTokens(ids, instructionIds.length);
    }
}
