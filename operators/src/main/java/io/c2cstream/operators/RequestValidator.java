package io.c2cstream.operators;

import io.c2cstream.schemas.avro.ChatMessage;
import io.c2cstream.schemas.avro.ChatPrompt;
import io.c2cstream.schemas.avro.DeadLetterCode;
import io.c2cstream.schemas.avro.GenerationParams;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.Mode;
import io.c2cstream.schemas.avro.TextPrompt;
import java.nio.file.Path;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The gate in front of the models: a request that breaks a rule, names a model pair this job does not serve, or
 * is past its deadline goes to the dead letters with a message naming the field; everything else passes on.
 * Checks that need the tokenizers (prompt length) run in the stages that tokenize.
 */
public final class RequestValidator extends ProcessFunction<InferenceRequest, InferenceRequest> {
    private final C2cJobConfig config;

    public RequestValidator(C2cJobConfig config) {
        this.config = config;
    }

    @Override
    public void processElement(InferenceRequest request, Context ctx, Collector<InferenceRequest> out) {
        String problem = invalid(request);
        DeadLetterCode code = DeadLetterCode.INVALID_REQUEST;
        if (problem == null) {
            problem = unknownModel(request);
            code = DeadLetterCode.UNKNOWN_MODEL;
        }
        if (problem == null && request.getDeadline() != null
                && request.getDeadline().toEpochMilli() < System.currentTimeMillis()) {
            problem = "deadline " + request.getDeadline() + " passed before the request was read";
            code = DeadLetterCode.DEADLINE_EXCEEDED;
        }
        if (problem == null) {
            out.collect(request);
        } else {
            ctx.output(DeadLetters.TAG, DeadLetters.of(request, code, problem));
        }
    }

    /** The first broken rule, or null. */
    static String invalid(InferenceRequest r) {
        if (r.getRequestId().isBlank()) {
            return "requestId is empty";
        }
        if (r.getPrompt() instanceof TextPrompt text && text.getText().isEmpty()) {
            return "prompt.text is empty";
        }
        if (r.getPrompt() instanceof ChatPrompt chat) {
            if (chat.getMessages().isEmpty()) {
                return "prompt.messages is empty";
            }
            for (ChatMessage m : chat.getMessages()) {
                if (m.getRole().isBlank()) {
                    return "prompt.messages has a message without a role";
                }
            }
        }
        GenerationParams g = r.getGeneration();
        if (g.getMaxNewTokens() < 1) {
            return "generation.maxNewTokens must be at least 1, got " + g.getMaxNewTokens();
        }
        if (!(g.getTemperature() >= 0)) {
            return "generation.temperature must be ≥ 0, got " + g.getTemperature();
        }
        if (g.getTopK() < 0) {
            return "generation.topK must be ≥ 0, got " + g.getTopK();
        }
        if (!(g.getTopP() > 0 && g.getTopP() <= 1)) {
            return "generation.topP must be in (0, 1], got " + g.getTopP();
        }
        return null;
    }

    private String unknownModel(InferenceRequest r) {
        String receiver = name(config.receiverDir());
        String sharer = name(config.sharerDir());
        if (r.getReceiverModelId() != null && !r.getReceiverModelId().equals(receiver)) {
            return "receiverModelId " + r.getReceiverModelId() + " is not served by this job; it serves " + receiver;
        }
        if (r.getSharerModelId() != null && !r.getSharerModelId().equals(sharer)) {
            return "sharerModelId " + r.getSharerModelId() + " is not served by this job; it serves " + sharer;
        }
        String pair = receiver + "+" + sharer;
        if (r.getPairId() != null && !r.getPairId().equals(pair)) {
            return "pairId " + r.getPairId() + " is not served by this job; it serves " + pair;
        }
        if (r.getMode() != Mode.RECEIVER_ONLY && config.sharer() == null) {
            return "mode " + r.getMode() + " needs a sharer and this job serves the receiver " + receiver + " alone";
        }
        if (r.getMode() == Mode.C2C && config.fuser() == null) {
            return "mode C2C needs a fuser and this job has none configured (c2c.fuser)";
        }
        return null;
    }

    private static String name(Path dir) {
        return dir == null ? null : dir.getFileName().toString();
    }
}
