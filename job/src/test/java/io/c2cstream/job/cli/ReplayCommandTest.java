package io.c2cstream.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.c2cstream.engine.checkpoint.TensorDType;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.FuserConfig;
import io.c2cstream.engine.fuser.ProjectorConfig;
import io.c2cstream.engine.generate.TinyChatModels;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.zoo.ZooData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    /** A zoo-shaped directory: two tiny chat models, a fuser with open gates and a two-item ARC file. */
    private Path miniZoo() throws IOException {
        Path zoo = dir.resolve("zoo");
        Path receiver = TinyChatModels.write(zoo, "receiver", 1);
        Path sharer = TinyChatModels.write(zoo, "sharer", 2);
        ModelConfig r;
        ModelConfig s;
        try (TransformerModel rm = TransformerModel.load(receiver); TransformerModel sm = TransformerModel.load(sharer)) {
            r = rm.config();
            s = sm.config();
        }
        FuserConfig config = new FuserConfig("receiver", "sharer", false, "longest", "last_aligned", "sequential",
                ProjectorConfig.reference(s.numKvHeads(), s.headDim(), r.numKvHeads(), r.headDim(), 8, 8));
        try (C2cFuser fuser = C2cFuser.initialize(config, r, s, Device.cpu(), 4)) {
            fuser.projectors().forEach(p -> p.setGateLogits(1f, 1f));
            fuser.save(zoo.resolve("fuser"), TensorDType.F32);
        }
        Path arc = zoo.resolve(ZooData.ARC_FILE);
        Files.createDirectories(arc.getParent());
        Files.write(arc, List.of(
                "{\"id\":\"z1\",\"question\":\"abc?\",\"choices\":{\"text\":[\"a\",\"b\",\"c\",\"i\"],\"label\":[\"A\",\"B\",\"C\",\"D\"]},\"answerKey\":\"B\"}",
                "{\"id\":\"z2\",\"question\":\"ili?\",\"choices\":{\"text\":[\"a\",\"b\",\"c\",\"i\"],\"label\":[\"A\",\"B\",\"C\",\"D\"]},\"answerKey\":\"D\"}"));
        return zoo;
    }

    @Test
    void replaysEveryModeIntoAReportWithCharts() throws IOException {
        Path out = dir.resolve("report");
        int exit = cli.run("replay", "--zoo", miniZoo().toString(), "--out", out.toString(), "--t2t-max-new-tokens", "4");
        assertEquals(0, exit, cli.err.toString());
        assertEquals(2 * 4, Files.readAllLines(out.resolve("items.jsonl")).size());
        String html = Files.readString(out.resolve("report.html"));
        for (String mode : List.of("receiver_only", "sharer_only", "t2t", "c2c")) {
            assertTrue(html.contains("<td>" + mode + "</td>"), mode);
            assertTrue(cli.out.toString().contains(mode), mode);
        }
        for (String chart : List.of("accuracy.png", "latency.png")) {
            BufferedImage image = ImageIO.read(out.resolve(chart).toFile());
            assertEquals(720, image.getWidth(), chart);
            assertTrue(html.contains("src=\"" + chart + "\""), chart);
        }
    }

    @Test
    void aMissingZooSaysHowToBuildIt() {
        assertEquals(1, cli.run("replay", "--zoo", dir.resolve("nowhere").toString()));
        assertTrue(cli.err.toString().contains("c2c zoo build"), cli.err.toString());
    }

    @Test
    void anIntraOpThreadCountBelowOneIsRefusedByName() {
        assertEquals(1, cli.run("replay", "--intra-op-threads", "0"));
        assertTrue(cli.err.toString().contains("--intra-op-threads must be at least 1"), cli.err.toString());
    }

    @Test
    void theIntraOpThreadCountIsWhatTheEngineWillStartWith() {
        String property = "ai.djl.pytorch.num_threads";
        String before = System.getProperty(property);
        try {
            cli.run("replay", "--intra-op-threads", "3", "--zoo", dir.resolve("nowhere").toString());
            assertEquals("3", System.getProperty(property));
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }
}
