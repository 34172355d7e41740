package io.c2cstream.engine.zoo;

import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.tokenizer.ChatMessage;
import java.nio.file.Path;
import java.util.List;

/**
 * The deterministic data half of the zoo, generated from one {@link ZooWorld}: both pretraining corpora, the
 * fuser's training and validation conversations, the held-out evaluation items and the two tokenizers, each
 * trained on its own model's corpus. {@link #write} lays them out in one directory; the same world always gives
 * the same bytes.
 */
public final class ZooData {

    public static final String RECEIVER_TOKENIZER_DIR = "receiver";
    public static final String SHARER_TOKENIZER_DIR = "sharer";
    public static final String SHARER_CORPUS_FILE = "corpora/sharer-pretraining.jsonl";
    public static final String RECEIVER_CORPUS_FILE = "corpora/receiver-pretraining.jsonl";
    public static final String FUSER_TRAINING_FILE = "fuser/train.jsonl";
    public static final String FUSER_VALIDATION_FILE = "fuser/validation.jsonl";
    public static final String ARC_FILE = "benchmarks/arc/zoo-held-out.jsonl";
    public static final String OPENBOOKQA_FILE = "benchmarks/openbookqa/zoo-held-out.tsv";
    public static final String MMLU_REDUX_DIR = "benchmarks/mmlu-redux";
    public static final String CEVAL_DIR = "benchmarks/ceval";

    /** The subject of the MMLU-Redux and C-Eval layouts: {@code zoo.jsonl}, {@code zoo_val.csv}. */
    public static final String SUBJECT = "zoo";

    private final ZooWorld world;
    private final List<PretrainingDocument> sharerCorpus;
    private final List<PretrainingDocument> receiverCorpus;
    private final List<List<ChatMessage>> fuserConversations;
    private final List<List<ChatMessage>> fuserValidationConversations;
    private final List<BenchmarkItem> heldOutItems;
    private final BpeModel receiverTokenizer;
    private final BpeModel sharerTokenizer;

    private ZooData(ZooWorld world) {
        this.world = world;
        this.sharerCorpus = SharerCorpus.documents(world);
        this.receiverCorpus = ReceiverCorpus.documents(world);
        this.fuserConversations = ZooQuestions.fuserConversations(world);
        this.fuserValidationConversations = ZooQuestions.fuserValidationConversations(world);
        this.heldOutItems = ZooQuestions.heldOut(world);
        this.receiverTokenizer = train(ZooTokenizerSpec.RECEIVER, world, receiverCorpus);
        this.sharerTokenizer = train(ZooTokenizerSpec.SHARER, world, sharerCorpus);
    }

    public static ZooData generate(ZooWorld world) {
        return new ZooData(world);
    }

    private static BpeModel train(ZooTokenizerSpec spec, ZooWorld world, List<PretrainingDocument> corpus) {
        return spec.trainer().train(corpus.stream().map(PretrainingDocument::text).toList(), world.protectedWords(),
                spec.learnedMerges());
    }

    public ZooWorld world() {
        return world;
    }

    public List<PretrainingDocument> sharerCorpus() {
        return sharerCorpus;
    }

    public List<PretrainingDocument> receiverCorpus() {
        return receiverCorpus;
    }

    public List<List<ChatMessage>> fuserConversations() {
        return fuserConversations;
    }

    public List<List<ChatMessage>> fuserValidationConversations() {
        return fuserValidationConversations;
    }

    public List<BenchmarkItem> heldOutItems() {
        return heldOutItems;
    }

    public BpeModel receiverTokenizer() {
        return receiverTokenizer;
    }

    public BpeModel sharerTokenizer() {
        return sharerTokenizer;
    }

    /** Writes everything below {@code dir} at the paths this class names. */
    public void write(Path dir) {
        TokenizerFiles.write(dir.resolve(RECEIVER_TOKENIZER_DIR), ZooTokenizerSpec.RECEIVER, receiverTokenizer);
        TokenizerFiles.write(dir.resolve(SHARER_TOKENIZER_DIR), ZooTokenizerSpec.SHARER, sharerTokenizer);
        ZooJsonl.writeDocuments(dir.resolve(SHARER_CORPUS_FILE), sharerCorpus);
        ZooJsonl.writeDocuments(dir.resolve(RECEIVER_CORPUS_FILE), receiverCorpus);
        ZooJsonl.writeConversations(dir.resolve(FUSER_TRAINING_FILE), fuserConversations);
        ZooJsonl.writeConversations(dir.resolve(FUSER_VALIDATION_FILE), fuserValidationConversations);
        BenchmarkLayouts.writeArc(dir.resolve(ARC_FILE), heldOutItems);
        BenchmarkLayouts.writeOpenBookQa(dir.resolve(OPENBOOKQA_FILE), heldOutItems);
        BenchmarkLayouts.writeMmluRedux(dir.resolve(MMLU_REDUX_DIR), SUBJECT, "zoo world seed " + world.seed(),
                heldOutItems);
        BenchmarkLayouts.writeCeval(dir.resolve(CEVAL_DIR), SUBJECT, heldOutItems);
    }
}
