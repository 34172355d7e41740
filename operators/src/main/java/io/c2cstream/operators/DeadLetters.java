package io.c2cstream.operators;

import io.c2cstream.schemas.avro.DeadLetter;
import io.c2cstream.schemas.avro.DeadLetterCode;
import io.c2cstream.schemas.avro.InferenceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** The side output every stage writes requests it cannot answer to, each with the request re-encoded for replay. */
public final class DeadLetters {
    /** Where the job's dead letters go (the receiver stage and the request validator write them). */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private DeadLetters() {}

    /** A dead letter for a decoded request: its single-object encoding is kept so it can be replayed after a fix. */
    public static DeadLetter of(InferenceRequest request, DeadLetterCode code, String message) {
        ByteBuffer bytes;
        try {
            bytes = InferenceRequest.getEncoder().encode(request);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-encode request " + request.getRequestId(), e);
        }
        return DeadLetter.newBuilder().setOriginalBytes(bytes).setRequestId(request.getRequestId())
                .setErrorCode(code).setMessage(message).setFailedAt(Instant.now()).build();
    }
}
