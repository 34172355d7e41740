package io.c2cstream.engine.train;

import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import java.util.List;

/**
 * Turns a conversation into a {@link TrainingExample} (method §5.2): the instruction is every message but
 * the last, rendered with the generation prompt and thinking disabled; the full text renders all messages.
 * The instruction's tokens must be a prefix of the full conversation's.
 */
public final class ExampleEncoder {
    private final LanguageModel receiver;
    private final ChatTemplate template;

    /** Receiver and sharer share one tokenizer: the sharer reads the receiver's ids (method §4.6). */
    public ExampleEncoder(LanguageModel receiver) {
        this.receiver = receiver;
        this.template = receiver.chatTemplate().orElseThrow(() -> new IllegalArgumentException("receiver "
                + receiver.dir() + " has no chat template: fuser training renders conversations with it"));
    }

    public TrainingExample encode(List<ChatMessage> messages) {
        if (messages.size() < 2 || !messages.get(messages.size() - 1).role().equals("assistant")) {
            throw new IllegalArgumentException("a training conversation ends with an assistant reply after at least"
                    + " one other message, got roles " + messages.stream().map(ChatMessage::role).toList());
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
        return new TrainingExample(ids, ids, instructionIds.length);
    }
}
