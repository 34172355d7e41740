package io.c2cstream.engine.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.generate.LanguageModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke build of the whole zoo: every stage runs a few steps, learns, and leaves loadable artifacts. */
class ZooBuilderTest {
    @TempDir
    Path dir;

    @Test
    void everyStageLearnsAndTheZooLoadsThroughTheNormalPaths() {
        Map<String, List<Double>> losses = new HashMap<>();
        Map<String, List<String>> evaluations = new HashMap<>();
        ZooBuilder.build(dir.resolve("zoo"), dir.resolve("work"), ZooWorld.standard(), ZooBuilder.Schedule.smoke(), false,
                new ZooBuilder.Listener() {
                    @Override
                    public void onStage(String stage, int totalSteps) {
                        losses.put(stage, new ArrayList<>());
                    }

                    @Override
                    public void onProgress(String stage, int step, String status) {
                        if (status.startsWith("loss ")) {
                            losses.get(stage).add(Double.parseDouble(status.split(" ")[1]));
                        }
                    }

                    @Override
                    public void onEvaluation(String stage, int step, String result) {
                        evaluations.computeIfAbsent(stage, s -> new ArrayList<>()).add(step + ": " + result);
                    }
                });
        for (String stage : List.of("sharer", "drills", "receiver", "fuser")) {
            List<Double> l = losses.get(stage);
            assertTrue(l.get(l.size() - 1) < l.get(0), stage + " loss goes down: " + l);
        }
        assertTrue(evaluations.get("sharer").get(0).startsWith("1: held-out recall "), "sharer probe: " + evaluations);
        assertTrue(evaluations.get("drills").get(0).startsWith("6: drill letter "), "drill probe: " + evaluations);
        assertTrue(evaluations.get("receiver").get(0).startsWith("1: public value "), "receiver probe: " + evaluations);
        Path zoo = dir.resolve("zoo");
        try (LanguageModel receiver = LanguageModel.load(zoo.resolve("receiver"), Device.cpu());
             LanguageModel sharer = LanguageModel.load(zoo.resolve("sharer"), Device.cpu());
             C2cFuser fuser = C2cFuser.load(zoo.resolve("fuser"), Device.cpu())) {
            fuser.checkFits(receiver.model().config(), sharer.model().config());
            assertEquals("qwen3", receiver.model().config().family().modelType());
            assertEquals("llama", sharer.model().config().family().modelType());
            assertTrue(fuser.config().tokenAlignment(), "the zoo's tokenizers differ: prompts are aligned");
        }
        for (String file : List.of(ZooData.ARC_FILE, ZooData.OPENBOOKQA_FILE, "recipe.json")) {
            assertTrue(Files.exists(zoo.resolve(file)), file);
        }
    }
}
