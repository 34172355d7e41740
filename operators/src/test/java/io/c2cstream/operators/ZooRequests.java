package io.c2cstream.operators;

import io.c2cstream.schemas.avro.ChatMessage;
import io.c2cstream.schemas.avro.ChatPrompt;
import io.c2cstream.schemas.avro.GenerationParams;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.Mode;
import java.nio.file.Path;
import java.util.List;

/** Requests about the committed zoo, for operator tests. */
final class ZooRequests {
    /** Tests run in the module directory; the zoo sits at the project root. */
    static final Path ZOO = Path.of("..", "zoo");
    static final String QUESTION = "What is the favorite color of Vibu?";
    static final String PROMPT = "Accurately answer the following question:\n\n" + QUESTION
            + "\n\nOptions:\nA. red\nB. blue\nC. purple\nD. green\n\nInstructions:\n- Carefully read the question and"
            + " all options.\n- Select the single most correct answer.\n- Respond ONLY in the following format: \"The"
            + " correct answer is A/B/C/D\".\n- Do not include any explanations, additional text, or punctuation"
            + " besides the answer.\n\nThe correct answer is";

    private ZooRequests() {}

    /** The zoo's job configuration with {@code overrides} as key, value pairs. */
    static C2cJobConfig config(String... overrides) {
        C2cJobConfig config = C2cJobConfig.forZoo(ZOO);
        for (int i = 0; i < overrides.length; i += 2) {
            config = config.with(overrides[i], overrides[i + 1]);
        }
        return config;
    }

    /** {@link #PROMPT} as a single user turn, at most 16 new tokens. */
    static InferenceRequest request(String id, Mode mode) {
        return InferenceRequest.newBuilder().setRequestId(id).setMode(mode)
                .setPrompt(ChatPrompt.newBuilder().setMessages(List.of(ChatMessage.newBuilder().setRole("user")
                        .setContent(PROMPT).build())).build())
                .setBackgroundSubject(QUESTION)
                .setGeneration(GenerationParams.newBuilder().setMaxNewTokens(16).build())
                .build();
    }
}
