package io.c2cstream.job.replay;

import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.McqPrompt;
import io.c2cstream.schemas.avro.ChatMessage;
import io.c2cstream.schemas.avro.ChatPrompt;
import io.c2cstream.schemas.avro.GenerationParams;
import io.c2cstream.schemas.avro.InferenceRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark as requests to the job: every item in every mode, item-major, each the method §6.2 prompt as one user
 * message with greedy decoding of at most 64 tokens (method §6.3), exactly what the engine-only evaluation asks.
 */
public final class ReplayRequests {
    /** Answer length of benchmark replays (method §6.3). */
    public static final int MAX_NEW_TOKENS = 64;

    private ReplayRequests() {}

    /** The id of an item's request in a mode; unique within a replay. */
    public static String requestId(BenchmarkItem item, Mode mode) {
        return item.benchmark() + "/" + item.id() + "/" + mode.wireName();
    }

    public static List<InferenceRequest> of(List<BenchmarkItem> items, List<Mode> modes) {
        List<InferenceRequest> requests = new ArrayList<>();
        for (BenchmarkItem item : items) {
            for (Mode mode : modes) {
                requests.add(InferenceRequest.newBuilder()
                        .setRequestId(requestId(item, mode))
                        .setMode(io.c2cstream.schemas.avro.Mode.valueOf(mode.name()))
                        .setPrompt(ChatPrompt.newBuilder().setMessages(List.of(ChatMessage.newBuilder().setRole("user")
                                .setContent(McqPrompt.of(item)).build())).build())
                        .setBackgroundSubject(item.question())
                        .setGeneration(GenerationParams.newBuilder().setMaxNewTokens(MAX_NEW_TOKENS).build())
                        .setBenchmarkItem(io.c2cstream.schemas.avro.BenchmarkItem.newBuilder()
                                .setBenchmark(item.benchmark()).setItemId(item.id()).setGoldAnswer(item.gold()).build())
                        .build());
            }
        }
        return requests;
    }
}
