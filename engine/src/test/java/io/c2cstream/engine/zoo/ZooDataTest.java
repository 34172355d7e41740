package io.c2cstream.engine.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.eval.ArcReader;
import io.c2cstream.engine.eval.CevalReader;
import io.c2cstream.engine.eval.MmluReduxReader;
import io.c2cstream.engine.eval.OpenBookQaReader;
import io.c2cstream.engine.train.ConversationFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooDataTest {

    @TempDir Path first;
    @TempDir Path second;

    @Test
    void theSameSeedWritesTheSameFilesByteForByte() throws IOException {
        ZooFixture.data().write(first);
        ZooData.generate(ZooWorld.generate(ZooWorld.DEFAULT_SEED, ZooSizes.DEFAULT)).write(second);
        List<Path> files = files(first);
        assertEquals(files, files(second));
        assertEquals(List.of("benchmarks/arc/zoo-held-out.jsonl", "benchmarks/ceval/zoo_val.csv",
                "benchmarks/mmlu-redux/zoo.jsonl", "benchmarks/openbookqa/zoo-held-out.tsv",
                "corpora/receiver-pretraining.jsonl", "corpora/sharer-pretraining.jsonl", "fuser/train.jsonl",
                "fuser/validation.jsonl", "receiver/tokenizer.json", "receiver/tokenizer_config.json", "sharer/tokenizer.json",
                "sharer/tokenizer_config.json"), files.stream().map(Path::toString).toList());
        for (Path file : files) {
            assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)),
                    file.toString());
        }
    }

    @Test
    void theWrittenFilesHoldTheGeneratedData() throws IOException {
        ZooData data = ZooFixture.data();
        data.write(first);
        assertEquals(data.fuserConversations(), ConversationFile.read(first.resolve(ZooData.FUSER_TRAINING_FILE)));
        assertEquals(data.fuserValidationConversations(),
                ConversationFile.read(first.resolve(ZooData.FUSER_VALIDATION_FILE)));
        assertEquals(data.sharerCorpus().size(),
                Files.readAllLines(first.resolve(ZooData.SHARER_CORPUS_FILE)).size());
        assertEquals(data.receiverCorpus().size(),
                Files.readAllLines(first.resolve(ZooData.RECEIVER_CORPUS_FILE)).size());
        assertTrue(Files.readString(first.resolve(ZooData.RECEIVER_CORPUS_FILE)).startsWith("{\"kind\":\""));
        int items = data.heldOutItems().size();
        assertEquals(items, new ArcReader().read(first.resolve(ZooData.ARC_FILE)).items().size());
        assertEquals(items, new OpenBookQaReader().read(first.resolve(ZooData.OPENBOOKQA_FILE)).items().size());
        assertEquals(items, new MmluReduxReader().read(first.resolve(ZooData.MMLU_REDUX_DIR)).items().size());
        assertEquals(items, new CevalReader().read(first.resolve(ZooData.CEVAL_DIR)).items().size());
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
