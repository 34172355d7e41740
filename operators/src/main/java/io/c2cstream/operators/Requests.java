package io.c2cstream.operators;

import io.c2cstream.engine.c2c.C2cPipeline;
import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.schemas.avro.ChatPrompt;
import io.c2cstream.schemas.avro.GenerationParams;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.TextPrompt;
import java.util.List;

/** Reads an {@link InferenceRequest} as the engine's terms: the prompt, the mode, the sampling settings. */
final class Requests {
    private Requests() {}

    static Mode mode(InferenceRequest request) {
        return Mode.valueOf(request.getMode().name());
    }

    static C2cPipeline.Request prompt(InferenceRequest request) {
        Object prompt = request.getPrompt();
        if (prompt instanceof TextPrompt text) {
            String subject = request.getBackgroundSubject() != null ? request.getBackgroundSubject() : text.getText();
            return new C2cPipeline.Request(null, text.getText(), subject);
        }
        List<ChatMessage> messages = ((ChatPrompt) prompt).getMessages().stream()
                .map(m -> new ChatMessage(m.getRole(), m.getContent())).toList();
        String subject = request.getBackgroundSubject();
        if (subject == null) {
            subject = messages.stream().filter(m -> m.role().equals("user")).reduce((a, b) -> b)
                    .map(ChatMessage::content).orElse("");
        }
        return new C2cPipeline.Request(messages, null, subject);
    }

    /**
     * The request's decoding settings with {@code model}'s stop tokens, its token limit capped at {@code cap};
     * without a seed, sampling is seeded from the request id so that a replay after a failure samples the same.
     */
    static SamplingConfig sampling(LanguageModel model, InferenceRequest request, int cap) {
        GenerationParams g = request.getGeneration();
        long seed = g.getSeed() != null ? g.getSeed() : request.getRequestId().hashCode();
        return model.sampling(Math.min(g.getMaxNewTokens(), cap), g.getTemperature(), g.getTopK(), g.getTopP(), seed);
    }
}
