package io.c2cstream.operators;

import io.c2cstream.schemas.avro.InferenceRequest;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;

/** Restarts, after a restore, the work of every request an operator kept in keyed state. */
final class RestoredRequests {
    /** Starts the work of one request, under its key. */
    interface Start {
        void start(InferenceRequest request) throws Exception;
    }

    private RestoredRequests() {}

    /**
     * Calls {@code start} under each key that holds a request in {@code state} (registered as {@code stateName}).
     * Keys are listed first: starting a request may change keyed state while the backend's key stream is open.
     */
    static void resume(AbstractStreamOperator<?> operator, String stateName, ValueState<InferenceRequest> state,
                       Start start) {
        List<String> keys;
        try (var stream = operator.getKeyedStateBackend().<VoidNamespace>getKeys(stateName, VoidNamespace.INSTANCE)) {
            keys = stream.map(k -> (String) k).toList();
        }
        for (String key : keys) {
            operator.setCurrentKey(key);
            try {
                InferenceRequest request = state.value();
                if (request != null) {
                    start.start(request);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot resume request " + key + " after a restore", e);
            }
        }
    }
}
