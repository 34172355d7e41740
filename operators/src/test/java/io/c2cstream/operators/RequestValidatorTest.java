package io.c2cstream.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.schemas.avro.ChatMessage;
import io.c2cstream.schemas.avro.ChatPrompt;
import io.c2cstream.schemas.avro.DeadLetter;
import io.c2cstream.schemas.avro.DeadLetterCode;
import io.c2cstream.schemas.avro.GenerationParams;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.Mode;
import io.c2cstream.schemas.avro.TextPrompt;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The gate in front of the models: each broken rule is dead-lettered with a message naming the field. */
class RequestValidatorTest {
    /** Serves the pair receiver+sharer with a fuser, as the zoo does. */
    private static final C2cJobConfig ZOO = C2cJobConfig.forZoo(Path.of("zoo"));

    private static InferenceRequest.Builder valid() {
        return InferenceRequest.newBuilder().setRequestId("arc/1/c2c").setMode(Mode.C2C)
                .setPrompt(ChatPrompt.newBuilder().setMessages(List.of(ChatMessage.newBuilder().setRole("user")
                        .setContent("Which planet is largest?").build())).build())
                .setGeneration(GenerationParams.newBuilder().setMaxNewTokens(64).build());
    }

    private static InferenceRequest valid(Consumer<GenerationParams.Builder> change) {
        GenerationParams.Builder g = GenerationParams.newBuilder().setMaxNewTokens(64);
        change.accept(g);
        return valid().setGeneration(g.build()).build();
    }

    @Test
    void aValidRequestPassesUnchanged() throws Exception {
        // Deadlines are timestamp-millis on the wire: a finer instant would not survive the harness's copy.
        Instant deadline = Instant.ofEpochMilli(System.currentTimeMillis() + 60_000);
        InferenceRequest request = valid().setPairId("receiver+sharer").setReceiverModelId("receiver")
                .setSharerModelId("sharer").setDeadline(deadline).build();
        assertNull(RequestValidator.invalid(request));
        assertEquals(List.of(request), run(ZOO, request).passed());
        assertEquals(List.of(), run(ZOO, request).deadLetters());
    }

    @Test
    void eachBrokenRuleIsNamed() {
        assertBroken("requestId is empty", valid().setRequestId(" ").build());
        assertBroken("prompt.messages is empty", valid().setPrompt(ChatPrompt.newBuilder().setMessages(List.of())
                .build()).build());
        assertBroken("prompt.messages has a message without a role", valid().setPrompt(ChatPrompt.newBuilder()
                .setMessages(List.of(ChatMessage.newBuilder().setRole("").setContent("hi").build())).build()).build());
        assertBroken("prompt.text is empty", valid().setPrompt(TextPrompt.newBuilder().setText("").build()).build());
        assertBroken("generation.maxNewTokens must be at least 1, got 0", valid(g -> g.setMaxNewTokens(0)));
        assertBroken("generation.temperature must be ≥ 0, got -0.5", valid(g -> g.setTemperature(-0.5f)));
        assertBroken("generation.temperature must be ≥ 0, got NaN", valid(g -> g.setTemperature(Float.NaN)));
        assertBroken("generation.topK must be ≥ 0, got -1", valid(g -> g.setTopK(-1)));
        assertBroken("generation.topP must be in (0, 1], got 0.0", valid(g -> g.setTopP(0f)));
        assertBroken("generation.topP must be in (0, 1], got 1.5", valid(g -> g.setTopP(1.5f)));
    }

    @Test
    void aBrokenRuleIsDeadLetteredAsAnInvalidRequest() throws Exception {
        InferenceRequest request = valid(g -> g.setTopK(-1));
        Outputs out = run(ZOO, request);
        assertEquals(List.of(), out.passed());
        DeadLetter letter = out.deadLetters().get(0);
        assertEquals(DeadLetterCode.INVALID_REQUEST, letter.getErrorCode());
        assertEquals("arc/1/c2c", letter.getRequestId());
        assertEquals("generation.topK must be ≥ 0, got -1", letter.getMessage());
        assertEquals(request, InferenceRequest.getDecoder().decode(letter.getOriginalBytes()), "kept for replay");
    }

    @Test
    void aModelOrPairThisJobDoesNotServeIsAnUnknownModel() throws Exception {
        assertUnknownModel(ZOO, valid().setReceiverModelId("qwen3").build(), "receiverModelId qwen3");
        assertUnknownModel(ZOO, valid().setSharerModelId("llama").build(), "sharerModelId llama");
        assertUnknownModel(ZOO, valid().setPairId("receiver+llama").build(), "pairId receiver+llama");
        C2cJobConfig receiverAlone = C2cJobConfig.parse(Map.of("c2c.receiver", "zoo/receiver"));
        assertUnknownModel(receiverAlone, valid().setMode(Mode.T2T).build(), "needs a sharer");
        assertUnknownModel(receiverAlone.with("c2c.sharer", "zoo/sharer"), valid().build(), "c2c.fuser");
        assertEquals(1, run(receiverAlone, valid().setMode(Mode.RECEIVER_ONLY).build()).passed().size());
    }

    @Test
    void aRequestPastItsDeadlineIsDeadLetteredAsExceeded() throws Exception {
        Outputs out = run(ZOO, valid().setDeadline(Instant.now().minusSeconds(1)).build());
        assertEquals(List.of(), out.passed());
        assertEquals(DeadLetterCode.DEADLINE_EXCEEDED, out.deadLetters().get(0).getErrorCode());
        assertTrue(out.deadLetters().get(0).getMessage().contains("passed"), out.deadLetters().get(0).getMessage());
    }

    private static void assertBroken(String message, InferenceRequest request) {
        assertEquals(message, RequestValidator.invalid(request));
    }

    private static void assertUnknownModel(C2cJobConfig config, InferenceRequest request, String named)
            throws Exception {
        Outputs out = run(config, request);
        assertEquals(List.of(), out.passed());
        DeadLetter letter = out.deadLetters().get(0);
        assertEquals(DeadLetterCode.UNKNOWN_MODEL, letter.getErrorCode());
        assertTrue(letter.getMessage().contains(named), letter.getMessage());
    }

    private record Outputs(List<InferenceRequest> passed, List<DeadLetter> deadLetters) {}

    private static Outputs run(C2cJobConfig config, InferenceRequest request) throws Exception {
        try (OneInputStreamOperatorTestHarness<InferenceRequest, InferenceRequest> harness =
                     ProcessFunctionTestHarnesses.forProcessFunction(new RequestValidator(config))) {
            harness.processElement(request, 0);
            var letters = harness.getSideOutput(DeadLetters.TAG);
            return new Outputs(harness.extractOutputValues(),
                    letters == null ? List.of() : letters.stream().map(StreamRecord::getValue).toList());
        }
    }
}
