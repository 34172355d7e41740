package io.c2cstream.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.checkpoint.TensorDType;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.TinyModels;
import io.c2cstream.engine.model.TransformerModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
    @TempDir
    Path dir;

    private static final List<int[]> PROMPTS = List.of(new int[] {4, 9, 13, 2, 40}, new int[] {7}, new int[] {30, 31, 32});

    @Test
    void batchedGenerationEqualsEachPromptAlone() {
        TinyModels.write(dir, ModelFamily.QWEN3, TensorDType.F32, 1);
        try (TransformerModel model = TransformerModel.load(dir)) {
            Generator generator = new Generator(model, Arrays::toString, 0);
            for (SamplingConfig config : List.of(SamplingConfig.greedy(12, Set.of()),
                    new SamplingConfig(12, 0.8, 20, 0.9, 5, Set.of()))) {
                List<Generation> batch = generator.generate(PROMPTS, config);
                for (int i = 0; i < PROMPTS.size(); i++) {
                    Generation alone = generator.generate(PROMPTS.get(i), config);
                    assertArrayEquals(alone.tokens(), batch.get(i).tokens(), "prompt " + i + " with " + config);
                    assertEquals(12, alone.tokens().length);
                    assertEquals(Generation.FinishReason.MAX_TOKENS, alone.finishReason());
                }
            }
        }
    }

    @Test
    void aStopTokenEndsItsSequenceAndIsLeftOutOfTheText() {
        TinyModels.write(dir, ModelFamily.LLAMA, TensorDType.F32, 2);
        try (TransformerModel model = TransformerModel.load(dir)) {
            Generator generator = new Generator(model, Arrays::toString, 0);
            int[] free = generator.generate(PROMPTS.get(0), SamplingConfig.greedy(10, Set.of())).tokens();
            int stop = free[3];
            Generation stopped = generator.generate(PROMPTS.get(0), SamplingConfig.greedy(10, Set.of(stop)));
            int firstStop = Arrays.stream(free).boxed().toList().indexOf(stop);
            assertArrayEquals(Arrays.copyOf(free, firstStop + 1), stopped.tokens());
            assertEquals(Generation.FinishReason.STOP_TOKEN, stopped.finishReason());
            assertEquals(Arrays.toString(Arrays.copyOf(free, firstStop)), stopped.text());
            assertTrue(stopped.prefillMillis() > 0);
        }
    }
}
