package io.c2cstream.job.topology;

import io.c2cstream.operators.C2cJobConfig;
import io.c2cstream.operators.DeadLetters;
import io.c2cstream.operators.ReceiverOperator;
import io.c2cstream.operators.RequestValidator;
import io.c2cstream.operators.SharerMessage;
import io.c2cstream.operators.SharerOperator;
import io.c2cstream.schemas.avro.DeadLetter;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.InferenceResponse;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The C2C job's topology (docs/architecture.md, "Data flow"): validate → keyBy(requestId) → sharer stage and
 * receiver stage side by side, the sharer's segments and text joining the receiver stage on the same key. Requests
 * come from any source (Kafka, benchmark files); responses and dead letters go to any sink.
 *
 * <p>Each stage has its own slot sharing group with an explicit resource spec (a group without one would wait for
 * slots forever under fine-grained resource management); {@code c2c.slot.gpus} adds the external resource
 * {@code gpu} on a GPU cluster.
 */
public final class C2cTopology {
    /** What the topology produces: one response or one dead letter per request read. */
    public record Outputs(DataStream<InferenceResponse> responses, DataStream<DeadLetter> deadLetters) {}

    private C2cTopology() {}

    public static Outputs build(DataStream<InferenceRequest> requests, C2cJobConfig config) {
        // Sinks and unions that mix groups land in "default", which needs a spec like every other group.
        requests.getExecutionEnvironment().registerSlotSharingGroup(SlotSharingGroup.newBuilder("default")
                .setCpuCores(0.25).setTaskHeapMemoryMB(64).build());
        SingleOutputStreamOperator<InferenceRequest> valid = requests
                .process(new RequestValidator(config), new AvroTypeInfo<>(InferenceRequest.class))
                .name("validate requests").uid("validate-requests")
                .slotSharingGroup(ingestGroup());
        KeySelector<InferenceRequest, String> byRequest = InferenceRequest::getRequestId;
        KeySelector<SharerMessage, String> byMessage = SharerMessage::requestId;
        SingleOutputStreamOperator<SharerMessage> sharerOut = valid.keyBy(byRequest)
                .transform("sharer prefill and writing", TypeInformation.of(SharerMessage.class),
                        new SharerOperator(config))
                .uid("sharer")
                .setParallelism(config.sharerParallelism())
                .slotSharingGroup(modelGroup("sharer", config));
        SingleOutputStreamOperator<InferenceResponse> responses = valid.keyBy(byRequest)
                .connect(sharerOut.keyBy(byMessage))
                .transform("receiver prefill, fuse and decode", new AvroTypeInfo<>(InferenceResponse.class),
                        new ReceiverOperator(config))
                .uid("receiver")
                .setParallelism(config.receiverParallelism())
                .slotSharingGroup(modelGroup("receiver", config));
        DataStream<DeadLetter> deadLetters = valid.getSideOutput(DeadLetters.TAG)
                .union(responses.getSideOutput(DeadLetters.TAG));
        return new Outputs(responses, deadLetters);
    }

    /** The slot sharing group of the light operators: sources, validation, sinks. */
    public static SlotSharingGroup ingestGroup() {
        return SlotSharingGroup.newBuilder("ingest").setCpuCores(0.25).setTaskHeapMemoryMB(64).build();
    }

    private static SlotSharingGroup modelGroup(String name, C2cJobConfig config) {
        SlotSharingGroup.Builder group = SlotSharingGroup.newBuilder(name).setCpuCores(config.slotCpuCores())
                .setTaskHeapMemoryMB(config.slotTaskHeapMb());
        if (config.slotGpus() > 0) {
            group.setExternalResource("gpu", config.slotGpus());
        }
        return group.build();
    }
}
