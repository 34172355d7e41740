package io.c2cstream.job.replay;

import io.c2cstream.schemas.avro.DeadLetter;
import io.c2cstream.schemas.avro.InferenceResponse;

/** One request's outcome as the replay collects it: its response, or the dead letter it became. */
public record ReplayOutput(String requestId, InferenceResponse response, DeadLetter deadLetter) {
    public static ReplayOutput of(InferenceResponse response) {
        return new ReplayOutput(response.getRequestId(), response, null);
    }

    public static ReplayOutput of(DeadLetter deadLetter) {
        return new ReplayOutput(deadLetter.getRequestId(), null, deadLetter);
    }
}
