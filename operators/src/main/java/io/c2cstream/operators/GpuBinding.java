package io.c2cstream.operators;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the device of an operator from the GPU Flink assigned to its slot (external resource {@code gpu}, property
 * {@code index}); without one — a MiniCluster, a CPU-only TaskManager, a CPU build of PyTorch — it runs on the CPU
 * and says so in one log line.
 */
final class GpuBinding {
    private static final Logger LOG = LoggerFactory.getLogger(GpuBinding.class);

    private GpuBinding() {}

    static Device device(RuntimeContext context, String operator) {
        Set<ExternalResourceInfo> gpus = context.getExternalResourceInfos("gpu");
        for (ExternalResourceInfo info : gpus) {
            var index = info.getProperty("index");
            if (index.isPresent()) {
                int gpu = Integer.parseInt(index.get());
                if (gpu < Engine.getInstance().getGpuCount()) {
                    return Device.gpu(gpu);
                }
                LOG.warn("{}: slot has GPU {} but PyTorch sees {} GPUs; running on CPU", operator, gpu,
                        Engine.getInstance().getGpuCount());
                return Device.cpu();
            }
        }
        LOG.info("{}: no GPU assigned to this slot; running on CPU", operator);
        return Device.cpu();
    }
}
